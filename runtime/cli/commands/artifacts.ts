import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Command } from 'commander';
import type { ArtifactDownload } from '../../core/artifacts/artifact-download';
import type { Cli } from '../cli';
import { table } from '../output/table';

interface ArtifactsOptions {
  readonly download?: string;
}

/** `outpost artifacts <id> [--download DIR]`: the run's files (presigned links) and its result. */
export function artifactsCommand(cli: Cli): Command {
  return new Command('artifacts')
    .description('List a run\'s files and result; --download saves the files')
    .argument('<id>', 'the dispatch id')
    .option('--download <dir>', 'save every file into this directory (created if missing)')
    .action(cli.action(async (id: string, options: ArtifactsOptions, command: Command) => {
      const answer = await (await cli.client(command)).getArtifacts(id);
      const saved = options.download === undefined ? [] : await downloadAll(answer.artifacts, options.download);
      if (cli.globals(command).json) {
        cli.printJson(options.download === undefined ? answer : { ...answer, downloaded: saved });
        return;
      }
      if (answer.artifacts.length === 0) {
        cli.note(`${id} ${cli.style.status(answer.status)}: no files yet`);
      } else if (options.download === undefined) {
        cli.print(table([{ heading: 'name' }, { heading: 'bytes', align: 'right' }, { heading: 'url (valid for an hour)' }],
          answer.artifacts.map((artifact) => [artifact.name, String(artifact.size), artifact.url])));
      } else {
        saved.forEach((file) => cli.print(file));
      }
      if (answer.result) {
        const { status, exitCode, branch, commit, error } = answer.result;
        cli.note(`result: ${status}, exit code ${exitCode}${branch ? `, branch ${branch}` : ''}${commit ? ` at ${commit}` : ''}${error ? `: ${error}` : ''}`);
      }
    }));
}

/** Each file into `dir`, under its name; a name that would land outside `dir` is refused rather than followed. */
async function downloadAll(artifacts: readonly ArtifactDownload[], dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const saved: string[] = [];
  for (const artifact of artifacts) {
    const file = path.resolve(root, artifact.name);
    if (!file.startsWith(`${root}${path.sep}`)) {
      throw new Error(`refusing to save "${artifact.name}" outside ${root}`);
    }
    const response = await fetch(artifact.url);
    if (!response.ok) {
      throw new Error(`downloading ${artifact.name} failed: HTTP ${response.status} (links expire after an hour: run the command again)`);
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, Buffer.from(await response.arrayBuffer()));
    saved.push(path.relative(process.cwd(), file) || file);
  }
  return saved;
}
