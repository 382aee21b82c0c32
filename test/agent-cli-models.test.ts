import { cliPin, installCli } from '../runtime/local/kit/cli-install';
import { AGENT_KINDS, agentCli } from '../scripts/agent-clis/agent-clis';
import { unknownDefaults } from '../scripts/agent-clis/alias-map';
import { AGENT_CATALOG } from '../src/agents/agent-catalog';
import { AgentKind, ModelTier } from '../src/agents/agent-kind';
import { MODEL_ALIAS_MAP } from '../src/agents/model-aliases';

// Each CLI is installed from its registry at the Dockerfile's pin (minutes the first time; cached after).
const INSTALL_TIMEOUT = 15 * 60_000;
const WITH_CATALOG = AGENT_KINDS.filter((agent) => agentCli(agent).readModels);

test.each(AGENT_KINDS)('%s: the catalog pins the version its Dockerfile installs, and the alias map is of that version', (agent) => {
  const cli = agentCli(agent);
  expect([cliPin(agent).package, cliPin(agent).version]).toEqual([cli.package, cli.version]);
  expect([MODEL_ALIAS_MAP[agent].cli, MODEL_ALIAS_MAP[agent].version]).toEqual([cli.package, cli.version]);
});

describe.each(WITH_CATALOG)('%s, installed at its pin', (agent) => {
  test('its own package says what the alias map says (npx projen bump:agents --current refreshes the map)', async () => {
    const install = await installCli(agent);
    const read = agentCli(agent).readModels!(install.prefix);
    const { aliases, models, source } = MODEL_ALIAS_MAP[agent];
    expect({ aliases, models, source }).toEqual(read);
  }, INSTALL_TIMEOUT);

  test('knows every tier\'s default, each alias resolving to a model of its own catalog', async () => {
    const install = await installCli(agent);
    const read = agentCli(agent).readModels!(install.prefix);
    const map = { ...MODEL_ALIAS_MAP[agent], aliases: read.aliases, models: read.models };
    expect(unknownDefaults(agent, map)).toEqual([]);
  }, INSTALL_TIMEOUT);
});

test('grok: every tier\'s default is in xAI\'s catalog as recorded in the map (the CLI ships none: it passes the id to xAI)', () => {
  expect(agentCli(AgentKind.GROK).readModels).toBeUndefined();
  const models = Object.values(ModelTier).map((tier) => AGENT_CATALOG[AgentKind.GROK].models[tier]);
  expect(models.filter((model) => !MODEL_ALIAS_MAP[AgentKind.GROK].models.includes(model))).toEqual([]);
});
