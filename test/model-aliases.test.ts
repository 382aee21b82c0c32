import { normalizeModelId, LIST_PRICE_TABLE } from '../runtime/core/ledger/pricing';
import { AGENT_KINDS } from '../scripts/agent-clis/agent-clis';
import { unpricedDefaults } from '../scripts/agent-clis/alias-map';
import { embeddedLiteral } from '../scripts/agent-clis/embedded-literal';
import { AgentKind } from '../src/agents/agent-kind';
import { BedrockModel } from '../src/agents/bedrock-model';
import { MODEL_ALIAS_MAP, resolveModelAlias } from '../src/agents/model-aliases';

describe('resolveModelAlias', () => {
  test('an alias resolves to the model the pinned CLI runs for it', () => {
    expect(resolveModelAlias('claude', 'opus')).toBe(MODEL_ALIAS_MAP.claude.aliases.opus);
    expect(MODEL_ALIAS_MAP.claude.models).toContain(resolveModelAlias('claude', 'opus'));
    expect(resolveModelAlias('gemini', 'flash')).toBe(MODEL_ALIAS_MAP.gemini.aliases.flash);
    // xAI serves its retired ids with grok-4.3, at grok-4.3's price.
    expect(resolveModelAlias('grok', 'grok-code-fast-1')).toBe('grok-4.3');
    // The same alias means another model in another CLI: Aider's `sonnet` is its own.
    expect(resolveModelAlias('aider', 'sonnet')).toBe(MODEL_ALIAS_MAP.aider.aliases.sonnet);
  });

  test('a model id, or a name that is only an object property, is left as it is', () => {
    expect(resolveModelAlias('codex', 'gpt-6.2-sol')).toBe('gpt-6.2-sol');
    expect(resolveModelAlias('claude', 'claude-sonnet-5-5')).toBe('claude-sonnet-5-5');
    expect(resolveModelAlias('claude', 'constructor')).toBe('constructor');
  });

  test('an unknown agent is an error naming the known ones', () => {
    expect(() => resolveModelAlias('cursor', 'auto')).toThrow('resolveModelAlias: agent "cursor" is not one of claude, codex, gemini, aider, grok');
  });
});

test('the list prices hold every catalog default, resolved as its CLI resolves it, and the Bedrock default', () => {
  expect(AGENT_KINDS.flatMap((agent) => unpricedDefaults(agent, MODEL_ALIAS_MAP[agent]))).toEqual([]);
  expect(LIST_PRICE_TABLE.models[normalizeModelId(BedrockModel.CLAUDE_SONNET_4_5.invocationId)]).toBeDefined();
  // The check itself: a default resolving to a model without a price is named.
  const unpriced = { ...MODEL_ALIAS_MAP.claude, aliases: { ...MODEL_ALIAS_MAP.claude.aliases, haiku: 'claude-haiku-9' } };
  expect(unpricedDefaults(AgentKind.CLAUDE, unpriced)).toEqual(['fast: haiku → claude-haiku-9']);
});

describe('embeddedLiteral (how the CLIs\' catalogs are cut out of their bundles and binaries)', () => {
  test('ends at the bracket that closes the first, not at one inside a string', () => {
    const text = 'var a={x:"}",y:[1,{z:\'{\'}],w:`]`,q:"\\"}"}; var b={};';
    expect(embeddedLiteral(text, text.indexOf('{'), 'test')).toBe('{x:"}",y:[1,{z:\'{\'}],w:`]`,q:"\\"}"}');
  });

  test('says so when the literal does not end, or does not start where it is said to', () => {
    expect(() => embeddedLiteral('{"models": [', 0, 'Codex models.json')).toThrow('Codex models.json: the literal at offset 0 does not end within the 12 characters read');
    expect(() => embeddedLiteral('x{}', 0, 'test')).toThrow('test: expected "{" or "[" at offset 0, found "x"');
  });
});
