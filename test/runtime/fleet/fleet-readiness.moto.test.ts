import { DeregisterTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { agentTaskDefinition, ecrRepositoryWithImage } from './moto-images';
import type { PlatformConfig } from '../../../runtime/core/config';
import type { FleetReadiness } from '../../../runtime/core/fleet-readiness';
import { apiRequest as request, callApi as call } from '../../support/api-event';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { BOB } from '../dispatch/support/dispatches';

/**
 * GET /health/fleet's readiness, by the real handler against moto: task definitions ECS describes, images in
 * moto's ECR, and provider secrets whose versions Secrets Manager describes (never their values).
 */
describe('fleet readiness (GET /health/fleet, moto)', () => {
  let platform: MotoPlatform;
  let readiness: FleetReadiness;
  const secrets = new SecretsManagerClient({});
  const ids: Record<string, string> = {};

  /** A secret as CloudFormation creates the platform's (a generated placeholder), then `puts` values put into it. */
  async function secret(name: string, puts: number, initial = 'generated-placeholder'): Promise<string> {
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: initial }));
    for (let i = 0; i < puts; i++) {
      await secrets.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: `sk-key-${i}` }));
    }
    return ARN!;
  }

  beforeAll(async () => {
    platform = await startMotoPlatform();
    const present = await ecrRepositoryWithImage('outpost-claude', 'abc123');
    const withoutTheTag = await ecrRepositoryWithImage('outpost-codex', 'older');
    ids.filled = await secret('anthropic', 1);
    ids.placeholder = await secret('openai', 0);
    ids.own = await secret('team-gemini', 0, 'AIza-the-teams-own-key');
    ids.pending = await secret('xai', 1);
    // A manual rotation left behind: a new value staged AWSPENDING only, as `put-secret-value --version-stages AWSPENDING` leaves it.
    const { VersionId: pendingVersion } = await secrets.send(new PutSecretValueCommand({ SecretId: ids.pending, SecretString: 'sk-wrong', VersionStages: ['AWSPENDING'] }));
    ids.pendingVersion = pendingVersion!;
    const inactive = await agentTaskDefinition('outpost-aider', 'ghcr.io/acme/outpost-aider:1');
    await new ECSClient({}).send(new DeregisterTaskDefinitionCommand({ taskDefinition: inactive }));

    const agent = (taskDefinitionArn: string, providerSecret?: { arn: string; createdWithPlaceholder: boolean }) =>
      ({ taskDefinitionArn, logGroupName: 'outpost', defaultModel: 'm', models: {}, ...(providerSecret && { providerSecret }) });
    const config: PlatformConfig = {
      ...platform.config,
      agents: {
        claude: agent(await agentTaskDefinition('outpost-claude', `${present}:abc123`), { arn: ids.filled, createdWithPlaceholder: true }),
        codex: agent(await agentTaskDefinition('outpost-codex', `${withoutTheTag}:abc123`), { arn: ids.placeholder, createdWithPlaceholder: true }),
        gemini: agent(await agentTaskDefinition('outpost-gemini', 'ghcr.io/acme/outpost-gemini:2'), { arn: ids.own, createdWithPlaceholder: false }),
        grok: agent(await agentTaskDefinition('outpost-grok', '123456789012.dkr.ecr.us-east-1.amazonaws.com/no-such-repository:1'), { arn: ids.pending, createdWithPlaceholder: true }),
        aider: agent(inactive),
      },
    };
    const response = await call(platform.handler('fleet-health', config), request('GET /health/fleet', BOB));
    expect(response.statusCode).toBe(200);
    readiness = response.body.readiness;
  });
  afterAll(() => platform?.stop());

  const secretOf = (secretId: string) => readiness.secrets.find((described) => described.secretId === secretId);

  test('an image in its repository under the task definition\'s tag: ok; under another tag, or no such repository: not', () => {
    expect(readiness.agents.claude).toEqual({
      taskDefinition: { ok: true, detail: expect.stringMatching(/outpost-claude:\d+: ACTIVE$/) },
      image: { ok: true, detail: '123456789012.dkr.ecr.us-east-1.amazonaws.com/outpost-claude:abc123' },
      secretId: ids.filled,
    });
    expect(readiness.agents.codex.image).toEqual({ ok: false, detail: expect.stringMatching(/outpost-codex:abc123: not in the repository$/) });
    expect(readiness.agents.grok.image).toEqual({ ok: false, detail: expect.stringMatching(/no-such-repository:1: not in the repository$/) });
  });

  test('an image of another registry is not checked, and says so; a deregistered task definition is not ok', () => {
    expect(readiness.agents.gemini.image).toEqual({ ok: null, detail: expect.stringContaining('not in ECR, so not checked here') });
    expect(readiness.agents.aider).toEqual({
      taskDefinition: { ok: false, detail: expect.stringMatching(/outpost-aider:1: INACTIVE$/) },
      image: { ok: null, detail: expect.stringContaining('not in ECR') },
      // An agent on Bedrock has no provider secret.
      secretId: null,
    });
    expect(readiness.secrets.map((described) => described.agents)).toEqual([['claude'], ['codex'], ['gemini'], ['grok']]);
  });

  test('a secret holds a key once one was put over the placeholder, or at once when the user brought it', () => {
    expect(secretOf(ids.filled)).toMatchObject({ agents: ['claude'], filled: true, pendingVersionId: null, rotationEnabled: false });
    expect(secretOf(ids.placeholder)).toMatchObject({ agents: ['codex'], filled: false, detail: '1 version: only the placeholder the platform created' });
    expect(secretOf(ids.own)).toMatchObject({ agents: ['gemini'], filled: true });
    // A secret with no version at all (CreateSecret without a value) is runtime/core's test: moto gives it one.
  });

  test('a version left staged AWSPENDING is reported by its id, until the stage is removed', async () => {
    expect(secretOf(ids.pending)).toMatchObject({ agents: ['grok'], filled: true, pendingVersionId: ids.pendingVersion });
    await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: ids.pending, VersionStage: 'AWSPENDING', RemoveFromVersionId: ids.pendingVersion }));
    const { body } = await call(platform.handler('fleet-health'), request('GET /health/fleet', BOB));
    const after = (body.readiness as FleetReadiness).secrets.find((described) => described.secretId === ids.pending);
    expect(after).toMatchObject({ pendingVersionId: null });
  });
});
