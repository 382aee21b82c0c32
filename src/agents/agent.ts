import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AGENT_CATALOG, DEFAULT_TIER } from './agent-catalog';
import { AgentImage } from './agent-image';
import { AgentKind, ModelProvider, ModelTier } from './agent-kind';
import { BedrockModel } from './bedrock-model';
import { resolveModelAlias } from './model-aliases';
import { requireIntegerInRange, requireProp } from '../core/validation';
import { FargateArchitecture } from '../ledger/ledger-pricing';
import { poolSettings } from '../pool/policy-config';
import { WarmPoolOptions } from '../pool/warm-pool-options';

/** Options every agent takes. */
export interface AgentOptions {
  /** The model dispatches use unless they name another. @default - the model of `modelTier` */
  readonly model?: string;
  /** The tier whose model dispatches use unless they name another. @default ModelTier.BALANCED */
  readonly modelTier?: ModelTier;
  /** Where the agent's image comes from. @default - built in the cloud by CodeBuild at deploy time (no local Docker) */
  readonly image?: AgentImage;
  /** vCPU units of each task (1024 = 1 vCPU); a valid Fargate CPU value. @default 1024 */
  readonly cpu?: number;
  /** Memory of each task in MiB, valid for the CPU value. @default 4096 */
  readonly memoryLimitMiB?: number;
  /**
   * The CPU architecture of the agent's tasks, and of its image (the cloud build builds it natively; an image
   * of your own must be built for it). ARM64 (Graviton) costs about 20% less than X86_64 on demand, but
   * Fargate Spot runs only X86_64 tasks: a warm pool with a `spotShare` needs X86_64, whose Spot price is about
   * 70% below its on-demand one, for workers AWS may reclaim with two minutes' notice (docs/costs.md). With
   * ARM64, every task of the agent runs on demand, cold starts included.
   * @default FargateArchitecture.ARM64
   */
  readonly cpuArchitecture?: FargateArchitecture;
  /** Ephemeral storage of each task in GiB (21–200): the workspace, home and temp live there. @default 40 */
  readonly ephemeralStorageGiB?: number;
  /** An existing secret holding the provider's API key. @default - one secret per provider, created by the platform */
  readonly apiKeySecret?: secretsmanager.ISecret;
  /**
   * The agent's warm pool of idle workers, e.g. `{ minIdle: 1, schedules: [{ cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 4 }] }`.
   * @default - a pool that follows demand, from 0 to 100 workers (`WarmPoolOptions` defaults: `minIdle` 0, `maxWorkers` 100)
   */
  readonly warmPool?: WarmPoolOptions;
}

/** Options for Claude Code, which may run on Amazon Bedrock instead of the Anthropic API. */
export interface ClaudeAgentOptions extends AgentOptions {
  /** Call Claude through Amazon Bedrock with the task role instead of an Anthropic API key. @default false */
  readonly useBedrock?: boolean;
  /** The Bedrock model, when `useBedrock` is set. @default BedrockModel.CLAUDE_SONNET_4_5 */
  readonly bedrockModel?: BedrockModel;
}

/** Options for Aider, which can drive several providers' models. */
export interface AiderAgentOptions extends AgentOptions {
  /** Whose models Aider calls; `model` must then be one of that provider's (LiteLLM names). @default ModelProvider.ANTHROPIC */
  readonly provider?: ModelProvider;
}

/** Fargate's memory range (MiB) and step for each CPU value; a quarter vCPU is too small for an agent CLI. */
const FARGATE_MEMORY: Record<number, [number, number, number]> = {
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/**
 * One coding agent the platform runs, with its model and task size. Create with the factory for each agent.
 *
 * @example
 * Agent.claude({ modelTier: ModelTier.FLAGSHIP, cpu: 2048, memoryLimitMiB: 8192 })
 */
export class Agent {
  public static claude(options: ClaudeAgentOptions = {}): Agent {
    requireProp(!options.bedrockModel || options.useBedrock === true, 'Agent.claude', 'bedrockModel', 'is set but `useBedrock` is not', 'Set `useBedrock: true`, or remove `bedrockModel`.');
    requireProp(!(options.useBedrock && options.apiKeySecret), 'Agent.claude', 'apiKeySecret', 'is set with `useBedrock`, which needs no API key', 'Remove one of them.');
    const bedrockModel = options.useBedrock ? options.bedrockModel ?? BedrockModel.CLAUDE_SONNET_4_5 : undefined;
    return new Agent(AgentKind.CLAUDE, AGENT_CATALOG[AgentKind.CLAUDE].provider, options, bedrockModel);
  }

  public static codex(options: AgentOptions = {}): Agent {
    return new Agent(AgentKind.CODEX, AGENT_CATALOG[AgentKind.CODEX].provider, options);
  }

  public static gemini(options: AgentOptions = {}): Agent {
    return new Agent(AgentKind.GEMINI, AGENT_CATALOG[AgentKind.GEMINI].provider, options);
  }

  public static aider(options: AiderAgentOptions = {}): Agent {
    const provider = options.provider ?? AGENT_CATALOG[AgentKind.AIDER].provider;
    requireProp(provider !== ModelProvider.XAI || options.model !== undefined, 'Agent.aider', 'model',
      'is required when `provider` is XAI', 'Name an xAI model in LiteLLM form, e.g. "xai/grok-4".');
    return new Agent(AgentKind.AIDER, provider, options);
  }

  public static grok(options: AgentOptions = {}): Agent {
    return new Agent(AgentKind.GROK, AGENT_CATALOG[AgentKind.GROK].provider, options);
  }

  /** All five agents with their defaults: what `OutpostPlatform` runs unless told otherwise. */
  public static all(): Agent[] {
    return [Agent.claude(), Agent.codex(), Agent.gemini(), Agent.aider(), Agent.grok()];
  }

  public readonly kind: AgentKind;
  /** Whose API serves the model (and whose key the task needs, unless on Bedrock). */
  public readonly provider: ModelProvider;
  /** The model dispatches use unless they name another. */
  public readonly defaultModel: string;
  public readonly cpu: number;
  public readonly memoryLimitMiB: number;
  public readonly ephemeralStorageGiB: number;
  /** The CPU architecture of its tasks and image. */
  public readonly cpuArchitecture: FargateArchitecture;
  public readonly image?: AgentImage;
  public readonly apiKeySecret?: secretsmanager.ISecret;
  /** Set when Claude Code runs on Amazon Bedrock. */
  public readonly bedrockModel?: BedrockModel;
  /** The agent's warm-pool options, as given. */
  public readonly warmPool?: WarmPoolOptions;

  private constructor(kind: AgentKind, provider: ModelProvider, options: AgentOptions, bedrockModel?: BedrockModel) {
    const owner = `Agent.${kind}`;
    requireProp(!(options.model && options.modelTier), owner, 'model', 'and `modelTier` are both set', 'Give one: a model name, or a tier.');
    this.kind = kind;
    this.provider = provider;
    this.bedrockModel = bedrockModel;
    this.defaultModel = bedrockModel?.invocationId ?? options.model ?? tierModel(kind, provider, options.modelTier ?? DEFAULT_TIER);
    this.cpu = options.cpu ?? 1024;
    this.memoryLimitMiB = options.memoryLimitMiB ?? 4096;
    this.ephemeralStorageGiB = options.ephemeralStorageGiB ?? 40;
    this.cpuArchitecture = options.cpuArchitecture ?? FargateArchitecture.ARM64;
    this.image = options.image;
    this.apiKeySecret = options.apiKeySecret;
    this.warmPool = options.warmPool;
    validateSize(owner, this.cpu, this.memoryLimitMiB);
    requireIntegerInRange(owner, 'ephemeralStorageGiB', this.ephemeralStorageGiB, 21, 200, 'Fargate offers 21 to 200 GiB of ephemeral storage.');
    const { spotShare } = poolSettings(owner, this.warmPool);
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html: "Linux tasks with
    // the ARM64 architecture don't support the Fargate Spot capacity provider."
    requireProp(spotShare === 0 || this.cpuArchitecture === FargateArchitecture.X86_64, owner, 'warmPool.spotShare',
      `is ${spotShare}, but Fargate Spot does not run ARM64 tasks and the agent's \`cpuArchitecture\` is ARM64 (the default)`,
      'Set `warmPool.spotShare: 0` to keep Graviton\'s lower on-demand price, or `cpuArchitecture: FargateArchitecture.X86_64` to run that share of the pool on Spot (docs/pool.md, "Fargate Spot").');
  }

  /** The model of a tier for this agent. */
  public modelFor(tier: ModelTier): string {
    return this.bedrockModel?.invocationId ?? tierModel(this.kind, this.provider, tier);
  }
}

/** Aider names a non-default provider's models by that provider's agent catalog: its ids, as LiteLLM has no CLI's aliases. */
function tierModel(kind: AgentKind, provider: ModelProvider, tier: ModelTier): string {
  if (kind !== AgentKind.AIDER || provider === AGENT_CATALOG[AgentKind.AIDER].provider) {
    return AGENT_CATALOG[kind].models[tier];
  }
  const providerAgent = provider === ModelProvider.OPENAI ? AgentKind.CODEX : AgentKind.GEMINI;
  const litellmPrefix = provider === ModelProvider.OPENAI ? 'openai' : 'gemini';
  return `${litellmPrefix}/${resolveModelAlias(providerAgent, AGENT_CATALOG[providerAgent].models[tier])}`;
}

function validateSize(owner: string, cpu: number, memory: number): void {
  const range = FARGATE_MEMORY[cpu];
  requireProp(range !== undefined, owner, 'cpu', `must be a Fargate CPU value, got ${cpu}`, `Use one of ${Object.keys(FARGATE_MEMORY).join(', ')}.`);
  const [min, max, step] = range;
  requireProp(memory >= min && memory <= max && memory % step === 0, owner, 'memoryLimitMiB', `must be ${min}–${max} MiB in steps of ${step} for ${cpu} CPU units, got ${memory}`,
    'Pick a memory size Fargate offers for that CPU, or change `cpu`.');
}
