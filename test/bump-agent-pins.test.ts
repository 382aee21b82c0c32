import * as fs from 'fs';
import * as path from 'path';
import { cliPin } from '../runtime/local/kit/cli-install';
import { AGENT_KINDS, agentCli } from '../scripts/agent-clis/agent-clis';
import { replaceCatalogPin, replaceDockerfilePin } from '../scripts/agent-clis/pins';
import { AgentKind } from '../src/agents/agent-kind';

// What scripts/bump-agent-clis.ts writes, on the repository's own files, with no registry asked.
const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const NEXT = '99.1.0';

test.each(AGENT_KINDS)('%s: the bump moves its Dockerfile\'s pin and its catalog entry\'s, and nothing else', (agent) => {
  const cli = agentCli(agent);
  const dockerfile = read(cli.dockerfile);
  const bumped = replaceDockerfilePin(dockerfile, cli, NEXT);
  expect(cliPin(agent).version).toBe(cli.version);
  expect(bumped).toBe(dockerfile.split(cli.version).join(NEXT));
  expect(bumped).not.toBe(dockerfile);

  const catalog = read('src/agents/agent-catalog.ts');
  const bumpedCatalog = replaceCatalogPin(catalog, cli, NEXT);
  expect(bumpedCatalog).toContain(`cli: '${cli.package}',\n    cliVersion: '${NEXT}',`);
  expect(bumpedCatalog.replace(`cliVersion: '${NEXT}'`, `cliVersion: '${cli.version}'`)).toBe(catalog);
});

test('a Dockerfile or catalog that does not hold the catalog\'s pin is an error saying which', () => {
  const cli = agentCli(AgentKind.CODEX);
  expect(() => replaceDockerfilePin('RUN npm install --global @openai/codex@0.1.0', cli, NEXT))
    .toThrow(`containers/codex/Dockerfile does not install @openai/codex@${cli.version}, the catalog's pin: make them agree, then bump again`);
  expect(() => replaceCatalogPin('export const AGENT_CATALOG = {};', cli, NEXT))
    .toThrow(`src/agents/agent-catalog.ts has no entry with cli '@openai/codex' and cliVersion '${cli.version}'`);
});
