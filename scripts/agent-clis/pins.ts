import { AgentCli } from './agent-clis';

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** How an install command names the package at `version`: `pkg@1.2.3` (npm), `pkg==1.2.3` (pip). */
export function pinText(cli: AgentCli, version: string): string {
  return `${cli.package}${cli.manager === 'npm' ? '@' : '=='}${version}`;
}

/** The Dockerfile with the CLI's pin moved to `version`; it must install the catalog's pin now. */
export function replaceDockerfilePin(text: string, cli: AgentCli, version: string): string {
  const pin = pinText(cli, cli.version);
  if (!text.includes(pin)) {
    throw new Error(`${cli.dockerfile} does not install ${pin}, the catalog's pin: make them agree, then bump again`);
  }
  return text.split(pin).join(pinText(cli, version));
}

/** src/agents/agent-catalog.ts with the entry of the CLI's package at `version`. */
export function replaceCatalogPin(text: string, cli: AgentCli, version: string): string {
  const pin = new RegExp(`(cli: '${escapeRegExp(cli.package)}',\\s*cliVersion: ')${escapeRegExp(cli.version)}(')`);
  if (!pin.test(text)) {
    throw new Error(`src/agents/agent-catalog.ts has no entry with cli '${cli.package}' and cliVersion '${cli.version}'`);
  }
  return text.replace(pin, `$1${version}$2`);
}
