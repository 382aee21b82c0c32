import * as z from 'zod/mini';
import { requireEnv } from './environment';

const AgentConfig = z.object({
  taskDefinitionArn: z.string(),
  /** The log group the agent's containers write to (stream `<agent>/agent/<taskId>`). */
  logGroupName: z.string(),
  defaultModel: z.string(),
  /** The model of each tier: flagship, balanced, fast. */
  models: z.record(z.string(), z.string()),
  /** The task definition's CPU architecture (Fargate Spot runs only x86_64). @default 'arm64' */
  cpuArchitecture: z.optional(z.enum(['x86_64', 'arm64'])),
  /**
   * The provider secret its tasks get their API key from, for fleet health to describe (never to read);
   * `createdWithPlaceholder` when the platform created it (it then starts with a random placeholder, no key).
   * Absent: the agent needs none (Claude on Bedrock).
   */
  providerSecret: z.optional(z.object({ arn: z.string(), createdWithPlaceholder: z.boolean() })),
});

/** Persistent workspaces (docs/control-plane.md, "Persistent workspaces"). */
const WorkspacesConfig = z.object({
  table: z.string(),
  fileSystemId: z.string(),
  /** Workspace task definitions are registered as `<familyPrefix>-<agent>-<uid>-<name>`, the only families IAM allows. */
  familyPrefix: z.string(),
  /** The container that runs the worker, and where it mounts a persistent workspace. */
  containerName: z.string(),
  mountPath: z.string(),
});

/**
 * Where git credentials for private repositories come from (src/control-plane/git-credentials.ts): with
 * `githubApp`, installation tokens minted per dispatch by the app whose private key is the secret; without, the
 * secret is a token used as it is. Absent: none. (Plain objects: a discriminated union would add 4 KB of zod to
 * every handler that loads the configuration.)
 */
const GitCredentialsConfig = z.object({
  secret: z.string(),
  hosts: z.array(z.string()),
  username: z.optional(z.string()),
  githubApp: z.optional(z.object({ appId: z.number(), installationId: z.optional(z.number()), apiUrl: z.string() })),
});

/**
 * Everything the control-plane handlers need to know about the deployed platform, set by the ControlPlaneApi
 * construct as one JSON environment variable (OUTPOST_CONFIG). What each handler may touch is decided by its
 * IAM role, not by this.
 */
const ConfigSchema = z.object({
  tables: z.object({
    dispatches: z.string(),
    pool: z.string(),
    audit: z.string(),
    indexes: z.object({ byRequester: z.string(), byAgentStatus: z.string(), byAgentState: z.string() }),
  }),
  cluster: z.string(),
  /** The platform's KMS key, which seals worker tokens (runtime/adapters/worker-token-cipher.ts). */
  workerTokenKey: z.string(),
  subnets: z.array(z.string()),
  securityGroups: z.array(z.string()),
  workerPort: z.number(),
  spotEnabled: z.boolean(),
  artifactsBucket: z.string(),
  /** The bucket's endpoint, `https://<bucket>.s3.<region>.amazonaws.com`: presigned URLs start with it. */
  artifactsBucketUrl: z.string(),
  eventBus: z.string(),
  agents: z.record(z.string(), AgentConfig),
  /** Absent on a platform without persistent workspaces: `POST /dispatch` then refuses them (422). */
  workspaces: z.optional(WorkspacesConfig),
  gitCredentials: z.optional(GitCredentialsConfig),
  /** Spending limits per dispatch (runtime/core/dispatch/budget.ts). Absent: none unless a request names one. */
  budget: z.optional(z.object({ defaultMaxCostUsd: z.optional(z.number()), maxCostUsdLimit: z.optional(z.number()) })),
  /** Which repositories callers may dispatch to (runtime/core/git/repository-allow-list.ts). Absent: any. */
  repositories: z.optional(z.object({
    allowed: z.optional(z.array(z.string())),
    grants: z.optional(z.array(z.object({ principal: z.string(), patterns: z.array(z.string()) }))),
  })),
});

export type PlatformConfig = z.infer<typeof ConfigSchema>;
export type AgentRuntimeConfig = z.infer<typeof AgentConfig>;
export type WorkspacesRuntimeConfig = z.infer<typeof WorkspacesConfig>;
export type GitCredentialsSettings = z.infer<typeof GitCredentialsConfig>;

/** Parse OUTPOST_CONFIG once per cold start; a malformed value is a deployment bug, so it throws. */
export function loadConfig(raw: string = requireEnv('OUTPOST_CONFIG')): PlatformConfig {
  const parsed = z.safeParse(ConfigSchema, JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`OUTPOST_CONFIG does not match what the handlers expect: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
