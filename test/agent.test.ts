import { readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_POOL_CONFIG } from '../runtime/core/pool/policy/config';
import { Agent, AgentKind, BedrockModel, ModelProvider, ModelTier } from '../src';

describe('Agent factories', () => {
  test('all() is the five agents, each with its provider and balanced-tier model', () => {
    const agents = Agent.all();
    expect(agents.map((agent) => [agent.kind, agent.provider, agent.defaultModel])).toEqual([
      [AgentKind.CLAUDE, ModelProvider.ANTHROPIC, 'sonnet'],
      [AgentKind.CODEX, ModelProvider.OPENAI, 'gpt-6.2-sol'],
      [AgentKind.GEMINI, ModelProvider.GOOGLE, 'flash'],
      [AgentKind.AIDER, ModelProvider.ANTHROPIC, 'opus'],
      [AgentKind.GROK, ModelProvider.XAI, 'grok-4.3'],
    ]);
  });

  test('documented task size defaults', () => {
    const agent = Agent.codex();
    expect([agent.cpu, agent.memoryLimitMiB, agent.ephemeralStorageGiB]).toEqual([1024, 4096, 40]);
  });

  test('the documented warm pool default is the pool\'s real default (docs that tell the truth)', () => {
    const source = readFileSync(join(__dirname, '..', 'src', 'agents', 'agent.ts'), 'utf8');
    const documented = /@default - a pool that follows demand, from (\d+) to (\d+) workers/.exec(source);
    expect(documented?.slice(1).map(Number)).toEqual([DEFAULT_POOL_CONFIG.minIdle, DEFAULT_POOL_CONFIG.maxWorkers]);
  });

  test('a tier or a model chooses the default model', () => {
    expect(Agent.claude({ modelTier: ModelTier.FLAGSHIP }).defaultModel).toBe('opus');
    expect(Agent.gemini({ modelTier: ModelTier.FAST }).defaultModel).toBe('flash-lite');
    expect(Agent.grok({ model: 'grok-4-heavy' }).defaultModel).toBe('grok-4-heavy');
    expect(Agent.codex().modelFor(ModelTier.FAST)).toBe('gpt-6-luna');
  });

  test('Aider follows its provider\'s models in LiteLLM form, with the CLI\'s aliases resolved', () => {
    const aider = Agent.aider({ provider: ModelProvider.OPENAI });
    expect(aider.provider).toBe(ModelProvider.OPENAI);
    expect(aider.defaultModel).toBe('openai/gpt-6.2-sol');
    expect(Agent.aider({ provider: ModelProvider.GOOGLE, modelTier: ModelTier.FLAGSHIP }).defaultModel).toBe('gemini/gemini-3.1-pro-preview');
    expect(() => Agent.aider({ provider: ModelProvider.XAI })).toThrow(/Agent.aider: `model` is required when `provider` is XAI/);
  });

  test('Claude on Bedrock uses the Bedrock model and needs no API key', () => {
    const claude = Agent.claude({ useBedrock: true });
    expect(claude.bedrockModel).toBe(BedrockModel.CLAUDE_SONNET_4_5);
    expect(claude.defaultModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(claude.modelFor(ModelTier.FAST)).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(Agent.claude().bedrockModel).toBeUndefined();
  });

  test.each([
    [() => Agent.claude({ model: 'x', modelTier: ModelTier.FAST }), /Agent.claude: `model` and `modelTier` are both set/],
    [() => Agent.claude({ bedrockModel: BedrockModel.CLAUDE_SONNET_4_5 }), /`bedrockModel` is set but `useBedrock` is not/],
    [() => Agent.codex({ cpu: 256 }), /Agent.codex: `cpu` must be a Fargate CPU value, got 256/],
    [() => Agent.codex({ cpu: 1024, memoryLimitMiB: 16384 }), /`memoryLimitMiB` must be 2048–8192 MiB in steps of 1024 for 1024 CPU units, got 16384/],
    [() => Agent.gemini({ ephemeralStorageGiB: 10 }), /`ephemeralStorageGiB` must be a whole number from 21 to 200, got 10/],
  ])('invalid options fail with what to change (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('BedrockModel', () => {
  test('an inference profile names its foundation model', () => {
    const model = BedrockModel.inferenceProfile('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(model.foundationModelId).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(model.inferenceProfileId).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(model.invocationId).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  test('a foundation model is invoked by its own id', () => {
    const model = BedrockModel.foundationModel('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(model.inferenceProfileId).toBeUndefined();
    expect(model.invocationId).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
  });

  test('rejects ids that are not Bedrock ids', () => {
    expect(() => BedrockModel.inferenceProfile('anthropic.claude-sonnet-4-5')).toThrow(/is not an inference profile id/);
    expect(() => BedrockModel.foundationModel('arn:aws:bedrock:us-east-1::foundation-model/x y')).toThrow(/is not a Bedrock model id/);
  });
});
