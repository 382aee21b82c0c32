import { fail, pass, skip, type DoctorCheck } from './report';
import type { FleetHealth } from '../../core/fleet-health';
import type { ReadinessCheck, SecretReadiness } from '../../core/fleet-readiness';

/**
 * What `GET /health/fleet` reports of each agent's setup, as checks with their fixes. Only the agents asked
 * for; a provider secret is checked when one of them uses it.
 */
export function fleetChecks(fleet: FleetHealth, agents: readonly string[]): DoctorCheck[] {
  const readiness = fleet.readiness;
  if (!readiness) {
    return [skip('readiness', 'platform', 'the platform reports no readiness (deployed before `outpost doctor`): deploy this version to check images, task definitions and secrets')];
  }
  const checks: DoctorCheck[] = [];
  for (const agent of agents) {
    const setup = readiness.agents[agent];
    checks.push(
      fromReadiness('task-definition', agent, setup.taskDefinition,
        'deploy the platform stack again (cdk deploy): the agent\'s task definition is gone or deregistered'),
      fromReadiness('image', agent, setup.image,
        'the image build has not pushed this tag: see the stack\'s image build (CodeBuild) log, or push the image the task definition names'),
    );
  }
  const asked = new Set(agents);
  for (const secret of readiness.secrets.filter((described) => described.agents.some((agent) => asked.has(agent)))) {
    checks.push(secretCheck(secret), rotationCheck(secret));
  }
  return checks;
}

function fromReadiness(kind: 'task-definition' | 'image', agent: string, check: ReadinessCheck, fix: string): DoctorCheck {
  if (check.ok === null) {
    return skip(kind, agent, check.detail);
  }
  return check.ok ? pass(kind, agent, check.detail) : fail(kind, agent, check.detail, fix);
}

function secretCheck(secret: SecretReadiness): DoctorCheck {
  const about = `${secret.secretId} (${secret.agents.join(', ')})`;
  if (secret.filled === null) {
    return fail('secret', secret.secretId, `could not be described: ${secret.detail}`,
      `the platform's fleet-health function may not describe ${secret.secretId}: deploy this version of the platform (its role gets secretsmanager:DescribeSecret on it)`);
  }
  return secret.filled
    ? pass('secret', secret.secretId, `${about}: holds a key (${secret.detail})`)
    : fail('secret', secret.secretId, `${about}: no key put yet (${secret.detail})`,
      `aws secretsmanager put-secret-value --secret-id ${secret.secretId} --secret-string <the provider's API key>`);
}

/**
 * A version left staged AWSPENDING: the next rotation cannot start, and CloudFormation's updates of the
 * rotation schedule fail. `cancel-rotate-secret` is no fix: it turns rotation off and leaves the version
 * staged (docs/security.md, "Provider API key rotation").
 */
function rotationCheck(secret: SecretReadiness): DoctorCheck {
  if (secret.filled === null) {
    return skip('rotation', secret.secretId, 'not checked: the secret could not be described');
  }
  if (secret.pendingVersionId === null) {
    return pass('rotation', secret.secretId, 'no rotation pending');
  }
  return fail('rotation', secret.secretId, `version ${secret.pendingVersionId} is staged AWSPENDING: a rotation was left pending`,
    `aws secretsmanager update-secret-version-stage --secret-id ${secret.secretId} --version-stage AWSPENDING --remove-from-version-id ${secret.pendingVersionId}`
    + (secret.rotationEnabled ? `, then aws secretsmanager rotate-secret --secret-id ${secret.secretId}` : ''));
}
