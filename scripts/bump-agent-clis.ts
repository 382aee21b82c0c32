/**
 * Bumps every agent CLI to its newest published version: the pins in containers/<agent>/Dockerfile and
 * src/agents/agent-catalog.ts, then src/agents/model-aliases.json from the newly installed packages (the same
 * reading test/agent-cli-models.test.ts checks the catalog's defaults with). Ends with an error naming each
 * catalog default the new CLIs no longer know, or that now resolves to a model without a list price: choose
 * another in src/agents/agent-catalog.ts, or price it in runtime/core/ledger/pricing/prices.json.
 *
 *   npx projen bump:agents              # bump, install, refresh the map
 *   npx projen bump:agents --dry-run    # print what would change; write nothing
 *   npx projen bump:agents --current    # keep the pins; refresh the map from them
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AGENT_KINDS, AgentCli, agentCli } from './agent-clis/agent-clis';
import { aliasMapText, ALIAS_MAP_FILE, cliModelMap, readAliasMap, unknownDefaults, unpricedDefaults } from './agent-clis/alias-map';
import { installCliPackage } from './agent-clis/install';
import { pinText, replaceCatalogPin, replaceDockerfilePin } from './agent-clis/pins';
import { CliModelMap } from '../src/agents/model-aliases';

const ROOT = path.join(__dirname, '..');
const CATALOG_FILE = path.join(ROOT, 'src', 'agents', 'agent-catalog.ts');
/** Lists each image's CLI and version; updated where it names the old pin. */
const CONTAINERS_README = path.join(ROOT, 'containers', 'README.md');

function main(args: string[]): void {
  const unknownArgs = args.filter((arg) => arg !== '--dry-run' && arg !== '--current');
  if (unknownArgs.length > 0) {
    throw new Error(`unknown argument ${unknownArgs.join(' ')}: use --dry-run (write nothing) or --current (keep the pins, refresh the map)`);
  }
  const dryRun = args.includes('--dry-run');
  const current = args.includes('--current');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bump-agents-'));
  const files = new Map<string, string>();
  const edit = (file: string, change: (text: string) => string) => files.set(file, change(files.get(file) ?? fs.readFileSync(file, 'utf8')));
  const map = readAliasMap();
  const problems: string[] = [];

  for (const agent of AGENT_KINDS) {
    const cli = agentCli(agent);
    const version = current ? cli.version : newestVersion(cli);
    if (version !== cli.version) {
      console.log(`${agent}: ${cli.package} ${cli.version} → ${version}`);
      edit(path.join(ROOT, cli.dockerfile), (text) => replaceDockerfilePin(text, cli, version));
      edit(CATALOG_FILE, (text) => replaceCatalogPin(text, cli, version));
      edit(CONTAINERS_README, (text) => text.split(pinText(cli, cli.version)).join(pinText(cli, version)));
    } else {
      console.log(`${agent}: ${cli.package} ${version} (newest)`);
    }
    if (!cli.readModels) {
      // No catalog in the package (Grok's models are xAI's): keep the recorded ones, under the new pin.
      map[agent] = { ...map[agent], cli: cli.package, version };
      continue;
    }
    const install = installCliPackage(cli.manager, cli.package, version, path.join(workDir, agent));
    const before = map[agent];
    map[agent] = cliModelMap(cli.package, version, cli.readModels(install.prefix));
    printModelChanges(agent, before, map[agent]);
    problems.push(...unknownDefaults(agent, map[agent]).map((model) => `${agent} ${model}: not a model the CLI knows`));
    problems.push(...unpricedDefaults(agent, map[agent]).map((model) => `${agent} ${model}: no list price`));
  }
  edit(ALIAS_MAP_FILE, () => aliasMapText(map));

  for (const [file, text] of files) {
    if (text !== fs.readFileSync(file, 'utf8')) {
      console.log(`${dryRun ? 'would write' : 'writes'} ${path.relative(ROOT, file)}`);
      if (!dryRun) {
        fs.writeFileSync(file, text);
      }
    }
  }
  fs.rmSync(workDir, { recursive: true, force: true });
  if (problems.length > 0) {
    console.error(`Catalog defaults to fix (choose another in src/agents/agent-catalog.ts, or price it in runtime/core/ledger/pricing/prices.json):\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** The registry's newest version, through its ordinary client. */
function newestVersion(cli: AgentCli): string {
  if (cli.manager === 'npm') {
    return execFileSync('npm', ['view', cli.package, 'version'], { encoding: 'utf8' }).trim();
  }
  // `pip index versions aider-chat` prints "aider-chat (0.86.2)" first.
  const output = execFileSync('python3', ['-m', 'pip', 'index', 'versions', '--disable-pip-version-check', cli.package], { encoding: 'utf8' });
  const match = new RegExp(`^${cli.package} \\(([^)]+)\\)`, 'm').exec(output);
  if (!match) {
    throw new Error(`pip index versions ${cli.package} printed no version:\n${output}`);
  }
  return match[1];
}

function printModelChanges(agent: string, before: Partial<CliModelMap> | undefined, after: CliModelMap): void {
  const [oldModels, oldAliases] = [before?.models ?? [], before?.aliases ?? {}];
  const added = after.models.filter((model) => !oldModels.includes(model));
  const removed = oldModels.filter((model) => !after.models.includes(model));
  const aliases = [...new Set([...Object.keys(oldAliases), ...Object.keys(after.aliases)])]
    .filter((alias) => oldAliases[alias] !== after.aliases[alias])
    .map((alias) => `${alias}: ${oldAliases[alias] ?? '(none)'} → ${after.aliases[alias] ?? '(none)'}`);
  for (const [label, list] of [['models added', added], ['models removed', removed], ['aliases changed', aliases]] as const) {
    if (list.length > 0) {
      console.log(`  ${agent} ${label}: ${list.join(', ')}`);
    }
  }
}

main(process.argv.slice(2));
