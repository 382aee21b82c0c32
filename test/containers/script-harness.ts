import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CONTAINERS = path.join(__dirname, '..', '..', 'containers');

/** One call a fake command received. */
export interface Call {
  readonly argv: string[];
  readonly cwd: string;
  readonly stdin: string;
  /** For `docker build`: the files of the build context (its last argument), relative to it. */
  readonly context?: string[];
}

/**
 * Fake `docker`, `aws`, `curl` and `sha256sum` on PATH that record each call as one JSON line: what the build
 * scripts would run, checked without a Docker engine, AWS or the network. A `curl -o` download of the SOCI tools'
 * release archives writes an archive of fake `soci` / `crane` that record their calls too; the fake `sha256sum`
 * accepts every file (delete it from `dir` to check with the real one). `aws ecr get-login-password` prints a password;
 * `aws ecr describe-images` finds only the `repository:tag` pairs listed in FAKE_ECR_IMAGES (space-separated)
 * and otherwise fails as the AWS CLI does for a missing tag (ImageNotFoundException, exit 254).
 */
export class FakeTools {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-fake-tools-'));
  private readonly log = path.join(this.dir, 'calls.jsonl');

  constructor() {
    const recorder = path.join(this.dir, 'record.js');
    fs.writeFileSync(recorder, `
      const fs = require('fs');
      const path = require('path');
      const argv = process.argv.slice(2);
      let stdin = '';
      try { stdin = fs.readFileSync('/dev/stdin', 'utf8'); } catch { stdin = ''; }
      const call = { argv, cwd: process.cwd(), stdin };
      if (argv[0] === 'docker' && argv[1] === 'build') {
        const root = path.resolve(argv[argv.length - 1]);
        const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(path.join(dir, e.name)) : [path.relative(root, path.join(dir, e.name))]);
        call.context = walk(root).sort();
      }
      fs.appendFileSync(${JSON.stringify(this.log)}, JSON.stringify(call) + '\\n');
      if (argv[0] === 'aws' && argv.slice(1, 3).join(' ') === 'ecr get-login-password') process.stdout.write('fake-password\\n');
      if (argv[0] === 'curl' && argv.includes('-o')) {
        // A release archive of the SOCI tools, holding fakes of its executables that record their calls too.
        const archive = argv[argv.indexOf('-o') + 1];
        const tools = argv[argv.length - 1].includes('soci-snapshotter') ? ['soci', 'soci-snapshotter-grpc'] : ['crane', 'gcrane'];
        const staging = fs.mkdtempSync(archive + '.staging');
        for (const tool of tools) {
          fs.writeFileSync(path.join(staging, tool), '#!/bin/sh\\nexec "' + process.execPath + '" "' + __filename + '" ' + tool + ' "$@"\\n', { mode: 0o755 });
        }
        require('child_process').execFileSync('tar', ['-czf', archive, '-C', staging, ...tools]);
        fs.rmSync(staging, { recursive: true });
      }
      if (argv[0] === 'aws' && argv.slice(1, 3).join(' ') === 'ecr describe-images') {
        // ECR's answer for a tag the repository lacks (AWS CLI: exit 254, the service error on stderr).
        const repository = argv[argv.indexOf('--repository-name') + 1];
        const tag = argv[argv.indexOf('--image-ids') + 1].replace(/^imageTag=/, '');
        if (!(process.env.FAKE_ECR_IMAGES || '').split(' ').includes(repository + ':' + tag)) {
          process.stderr.write('\\nAn error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:\\'' + tag + '\\'} does not exist within the repository with name \\'' + repository + '\\' in the registry with id \\'123456789012\\'\\n');
          process.exit(254);
        }
        process.stdout.write('sha256:0123\\n');
      }
    `);
    for (const tool of ['docker', 'aws', 'curl', 'sha256sum']) {
      const file = path.join(this.dir, tool);
      fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${recorder}" ${tool} "$@"\n`);
      fs.chmodSync(file, 0o755);
    }
  }

  calls(): Call[] {
    return fs.existsSync(this.log)
      ? fs.readFileSync(this.log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Call)
      : [];
  }

  /** Run a script with bash, the fakes first on PATH; `env` replaces the variables it names. */
  run(script: string, args: string[], env: Record<string, string | undefined>): SpawnSyncReturns<string> {
    const merged: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, ...env })) {
      if (value !== undefined) {
        merged[key] = value;
      }
    }
    merged.PATH = `${this.dir}${path.delimiter}${process.env.PATH ?? ''}`;
    return spawnSync('bash', [script, ...args], { env: merged, encoding: 'utf8', cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
