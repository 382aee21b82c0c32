import { STAGE, type SecretState } from './rotation/rotation-plan';

/** One fact the platform checked about an agent's setup: whether it is as a run needs it, and what was seen. */
export interface ReadinessCheck {
  /** true: as a run needs it; false: a run would fail; null: not checked here (said why in `detail`). */
  readonly ok: boolean | null;
  readonly detail: string;
}

/** A provider secret as DescribeSecret shows it: its versions' stages only, never its value. */
export interface SecretReadiness {
  /** The secret's ARN, as commands that fix it take it (`--secret-id`). */
  readonly secretId: string;
  /** The agents whose tasks get this secret's value. */
  readonly agents: readonly string[];
  /**
   * A key was put in it: the platform's own secrets start with a random placeholder, which is no key. null
   * when the secret could not be described (`detail` says why).
   */
  readonly filled: boolean | null;
  readonly rotationEnabled: boolean;
  /**
   * The version a manual or failed rotation left staged AWSPENDING: it keeps the next rotation from starting
   * and makes CloudFormation's updates of the rotation schedule fail. null when none is pending.
   */
  readonly pendingVersionId: string | null;
  /** What was seen, or why it could not be (the error's name). */
  readonly detail: string;
}

/** What `GET /health/fleet` reports of each agent's setup, beside its warm pool. */
export interface FleetReadiness {
  readonly agents: Readonly<Record<string, AgentReadiness>>;
  readonly secrets: readonly SecretReadiness[];
}

export interface AgentReadiness {
  /** The agent's task definition is ACTIVE and ECS can describe it. */
  readonly taskDefinition: ReadinessCheck;
  /** The image its task definition names is in its ECR repository. */
  readonly image: ReadinessCheck;
  /** The `secretId` of its provider secret in `secrets`; null when it uses none (Claude on Bedrock). */
  readonly secretId: string | null;
}

/**
 * Whether a secret holds a key, and whether a rotation is left pending, from its versions' stages alone.
 * A secret the platform created starts with a random placeholder as its first AWSCURRENT version: only once a
 * key is put (or rotated in) does another version exist beside the current one (AWSPREVIOUS). A secret the
 * user brought (`apiKeySecret`) holds a key as soon as it has an AWSCURRENT version.
 */
export function secretReadiness(secretId: string, agents: readonly string[], state: SecretState, createdWithPlaceholder: boolean): SecretReadiness {
  const versions = Object.entries(state.versions);
  const current = versions.find(([, stages]) => stages.includes(STAGE.current))?.[0];
  const previous = versions.find(([id, stages]) => id !== current && stages.includes(STAGE.previous))?.[0];
  const pending = versions.find(([, stages]) => stages.includes(STAGE.pending))?.[0];
  const filled = current !== undefined && (!createdWithPlaceholder || previous !== undefined);
  // AWSPENDING on the current version is what a finished rotation may leave; it blocks only where rotation runs.
  const pendingVersionId = pending !== undefined && (pending !== current || state.rotationEnabled) ? pending : null;
  const detail = current === undefined
    ? 'no AWSCURRENT version'
    : `${versions.length} version${versions.length === 1 ? '' : 's'}${filled ? '' : ': only the placeholder the platform created'}${pendingVersionId ? `, ${pendingVersionId} staged AWSPENDING` : ''}`;
  return { secretId, agents, filled, rotationEnabled: state.rotationEnabled, pendingVersionId, detail };
}

/** An image in ECR, by the parts DescribeImages takes. */
export interface EcrImageReference {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly imageTag?: string;
  readonly imageDigest?: string;
}

/** `<account>.dkr.ecr.<region>.<suffix>/<repository>[:tag|@digest]`; the suffix is amazonaws.com, or .com.cn in China. */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.[a-z.]+\/([a-z0-9._/-]+?)(?::([\w][\w.-]{0,127})|@(sha256:[0-9a-f]{64}))?$/;

/** The ECR image a task definition names, or undefined for an image in another registry (which is not checked). */
export function ecrImageReference(image: string): EcrImageReference | undefined {
  const match = ECR_IMAGE.exec(image);
  if (!match) {
    return undefined;
  }
  const [, registryId, region, repositoryName, tag, digest] = match;
  return { registryId, region, repositoryName, ...(digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' }) };
}
