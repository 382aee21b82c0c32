import type { TaskDefinitionSummary } from '../adapters/agent-task-definitions';
import type { AgentRuntimeConfig } from '../core/config';
import {
  ecrImageReference, secretReadiness, type AgentReadiness, type EcrImageReference, type FleetReadiness, type ReadinessCheck, type SecretReadiness,
} from '../core/fleet-readiness';
import type { SecretState } from '../core/rotation/rotation-plan';

/** The worker's container in every agent task definition (src/agents/agent-task-definition.ts). */
const AGENT_CONTAINER = 'agent';

export interface FleetReadinessDeps {
  readonly agents: Readonly<Record<string, Pick<AgentRuntimeConfig, 'taskDefinitionArn' | 'providerSecret'>>>;
  /** DescribeSecret: the versions' stages, never a value. */
  readonly describeSecret: (secretId: string) => Promise<SecretState>;
  readonly describeTaskDefinition: (taskDefinitionArn: string, containerName: string) => Promise<TaskDefinitionSummary>;
  readonly imageExists: (image: EcrImageReference) => Promise<boolean>;
}

/**
 * Each agent's task definition and image, and each provider secret's versions, as the platform's own role
 * sees them: what `outpost doctor` reports. A check that fails to run says so in its detail; it never fails
 * the others.
 */
export async function fleetReadiness(deps: FleetReadinessDeps): Promise<FleetReadiness> {
  const agentsBySecret = new Map<string, { agents: string[]; createdWithPlaceholder: boolean }>();
  for (const [agent, config] of Object.entries(deps.agents)) {
    if (config.providerSecret) {
      const { arn, createdWithPlaceholder } = config.providerSecret;
      const entry = agentsBySecret.get(arn) ?? { agents: [], createdWithPlaceholder };
      entry.agents.push(agent);
      agentsBySecret.set(arn, entry);
    }
  }
  const [agents, secrets] = await Promise.all([
    Promise.all(Object.entries(deps.agents).map(async ([agent, config]) => [agent, await agentReadiness(deps, config)] as const)),
    Promise.all([...agentsBySecret].map(([secretId, users]) => describedSecret(deps, secretId, users.agents, users.createdWithPlaceholder))),
  ]);
  return { agents: Object.fromEntries(agents), secrets };
}

async function agentReadiness(deps: FleetReadinessDeps, config: FleetReadinessDeps['agents'][string]): Promise<AgentReadiness> {
  const secretId = config.providerSecret?.arn ?? null;
  let summary: TaskDefinitionSummary;
  try {
    summary = await deps.describeTaskDefinition(config.taskDefinitionArn, AGENT_CONTAINER);
  } catch (error) {
    const unresolved: ReadinessCheck = { ok: false, detail: `${config.taskDefinitionArn}: ${errorName(error)}` };
    return { taskDefinition: unresolved, image: { ok: null, detail: 'not checked: the task definition could not be read' }, secretId };
  }
  const taskDefinition: ReadinessCheck = { ok: summary.status === 'ACTIVE', detail: `${config.taskDefinitionArn}: ${summary.status}` };
  return { taskDefinition, image: await imageReadiness(deps, summary.image), secretId };
}

async function imageReadiness(deps: FleetReadinessDeps, image: string | undefined): Promise<ReadinessCheck> {
  if (image === undefined) {
    return { ok: false, detail: `the task definition has no "${AGENT_CONTAINER}" container` };
  }
  const reference = ecrImageReference(image);
  if (!reference) {
    return { ok: null, detail: `${image}: not in ECR, so not checked here (ECS pulls it when a task starts)` };
  }
  try {
    const exists = await deps.imageExists(reference);
    return exists ? { ok: true, detail: image } : { ok: false, detail: `${image}: not in the repository` };
  } catch (error) {
    return { ok: null, detail: `${image}: not checked (${errorName(error)})` };
  }
}

async function describedSecret(
  deps: FleetReadinessDeps, secretId: string, agents: string[], createdWithPlaceholder: boolean,
): Promise<SecretReadiness> {
  try {
    return secretReadiness(secretId, agents, await deps.describeSecret(secretId), createdWithPlaceholder);
  } catch (error) {
    return { secretId, agents, filled: null, rotationEnabled: false, pendingVersionId: null, detail: `not described: ${errorName(error)}` };
  }
}

/** An AWS error's name (AccessDeniedException, ResourceNotFoundException…): what a reader can act on. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}
