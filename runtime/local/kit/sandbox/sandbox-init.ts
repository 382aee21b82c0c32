/**
 * The sandbox's pid 1, run as root inside fresh mount, network and pid namespaces (`unshare`): it builds
 * the container's file system, pivots into it, starts the forwarders, then runs the worker as the task
 * definition's user with the capabilities it leaves, and exits with its code. Bundled by the build into
 * assets/local/sandbox-init.js (`bundle:runtime`) and run with plain node, so it imports nothing but node's own modules
 * and privileges.ts. sandbox.ts writes its configuration.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { containerUser } from './privileges';

export interface SandboxInitConfig {
  /** An empty host directory to build the new root on. */
  readonly root: string;
  /** Host directories bound read-only at the same path (the OS: /usr, /etc is copied instead). */
  readonly systemDirectories: readonly string[];
  /** Host paths bound read-only inside (the CLI's install at its own path; node's prefix at NODE_PREFIX). */
  readonly readOnlyBinds: ReadonlyArray<{ source: string; target: string }>;
  /** Directories the image creates, made in the (then read-only) root with the image's owner and mode. */
  readonly imageDirectories: ReadonlyArray<{ path: string; uid: number; gid: number; mode: number }>;
  /** Files placed into the image's root: generated ones (/etc/passwd) and the Dockerfiles' COPY. */
  readonly files: ReadonlyArray<{ path: string; source: string; mode: number }>;
  /** The task's volumes: host directory (prepared as Fargate would) → container path. */
  readonly volumes: ReadonlyArray<{ source: string; target: string; readOnly: boolean }>;
  /** Host directory of the Unix sockets, bound at `socketDirectory` (root only). */
  readonly socketSource: string;
  readonly socketDirectory: string;
  /** 127.0.0.1:<port> inside → a socket outside. */
  readonly outbound: ReadonlyArray<{ port: number; socket: string }>;
  /** A socket, reachable outside → 127.0.0.1:<port> inside (the worker's port). */
  readonly inbound: ReadonlyArray<{ socket: string; port: number }>;
  readonly uid: number;
  readonly gid: number;
  /** What the container's process keeps of the capabilities (TaskConditions.capabilities). */
  readonly capabilities: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly command: readonly string[];
  /** Written (inside) once the forwarders listen and the worker is started. */
  readonly readyFile: string;
  /** ReadonlyRootFilesystem. When false, the image's own root (/, /etc, /opt) stays writable; the host's directories never are. */
  readonly readonlyRoot: boolean;
}

function run(command: string, ...args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function mkdirAt(directory: string, mode = 0o755, uid = 0, gid = 0): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.chmodSync(directory, mode);
  fs.chownSync(directory, uid, gid);
}

/** The new root: a tmpfs holding the image's own directories, with the host's OS bound into it. */
function buildRoot(config: SandboxInitConfig): void {
  const { root } = config;
  run('mount', '-t', 'tmpfs', '-o', 'mode=0755', 'outpost-root', root);
  for (const directory of config.systemDirectories) {
    const target = path.join(root, directory);
    const stat = fs.lstatSync(directory, { throwIfNoEntry: false });
    if (!stat) {
      continue;
    }
    if (stat.isSymbolicLink()) {
      // Merged /usr: /bin -> usr/bin, as the image has it.
      fs.symlinkSync(fs.readlinkSync(directory), target);
    } else {
      mkdirAt(target);
      run('mount', '--rbind', directory, target);
    }
  }
  // /etc is the host's, copied so that the image's files can be written into it.
  run('cp', '-a', '/etc', path.join(root, 'etc'));
  for (const directory of config.imageDirectories) {
    mkdirAt(path.join(root, directory.path), directory.mode, directory.uid, directory.gid);
  }
  for (const file of config.files) {
    const target = path.join(root, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file.source, target);
    fs.chmodSync(target, file.mode);
  }
  for (const bind of config.readOnlyBinds) {
    const target = path.join(root, bind.target);
    // Traversable but not listable, so the agent can reach the install without reading, say, /root.
    for (let parent = path.dirname(bind.target); parent !== '/'; parent = path.dirname(parent)) {
      if (!fs.existsSync(path.join(root, parent))) {
        fs.mkdirSync(path.join(root, parent), { recursive: true });
      }
      fs.chmodSync(path.join(root, parent), 0o711);
    }
    mkdirAt(target);
    run('mount', '--rbind', bind.source, target);
  }
  for (const volume of config.volumes) {
    const target = path.join(root, volume.target);
    fs.mkdirSync(target, { recursive: true });
    run('mount', '--bind', volume.source, target);
    // Ephemeral storage as the task has it, whatever the host's temp directory is mounted with (noexec).
    run('mount', '-o', `remount,bind,${volume.readOnly ? 'ro' : 'rw'}`, target);
  }
  mkdirAt(path.join(root, config.socketDirectory), 0o700);
  run('mount', '--bind', config.socketSource, path.join(root, config.socketDirectory));
  buildDev(path.join(root, 'dev'));
  mkdirAt(path.join(root, 'proc'));
  run('mount', '-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc', path.join(root, 'proc'));
  mkdirAt(path.join(root, 'sys'));
  run('mount', '-t', 'sysfs', '-o', 'ro,nosuid,nodev,noexec', 'sysfs', path.join(root, 'sys'));
}

/** A container's /dev: the usual character devices, a private /dev/shm and /dev/pts. */
function buildDev(dev: string): void {
  mkdirAt(dev);
  run('mount', '-t', 'tmpfs', '-o', 'mode=0755,nosuid', 'outpost-dev', dev);
  for (const device of ['null', 'zero', 'full', 'random', 'urandom', 'tty']) {
    fs.writeFileSync(path.join(dev, device), '');
    run('mount', '--bind', `/dev/${device}`, path.join(dev, device));
  }
  for (const [name, target] of [['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2'], ['ptmx', 'pts/ptmx']]) {
    fs.symlinkSync(target, path.join(dev, name));
  }
  mkdirAt(path.join(dev, 'shm'), 0o1777);
  run('mount', '-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev,size=64m', 'shm', path.join(dev, 'shm'));
  mkdirAt(path.join(dev, 'pts'));
  run('mount', '-t', 'devpts', '-o', 'newinstance,ptmxmode=0666,mode=0620,nosuid,noexec', 'devpts', path.join(dev, 'pts'));
}

/** Makes the new root `/`, forgets the host's, and makes everything read-only but the writable mounts. */
function enterRoot(config: SandboxInitConfig): void {
  const old = path.join(config.root, '.oldroot');
  fs.mkdirSync(old);
  process.chdir(config.root);
  run('pivot_root', '.', '.oldroot');
  process.chdir('/');
  run('umount', '--lazy', '/.oldroot');
  fs.rmdirSync('/.oldroot');
  const writable = new Set(['/proc', '/sys', '/dev', '/dev/shm', '/dev/pts', config.socketDirectory, ...config.volumes.filter((v) => !v.readOnly).map((v) => v.target)]);
  const mountPoints = fs.readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n')
    .map((line) => line.split(' ')[4].replace(/\\040/g, ' '))
    .filter((point) => point !== '/' && !writable.has(point) && ![...writable].some((w) => w !== '/' && point.startsWith(`${w}/`)));
  for (const point of mountPoints) {
    run('mount', '-o', 'remount,bind,ro', point);
  }
  if (config.readonlyRoot) {
    run('mount', '-o', 'remount,ro', '/');
  }
}

function pipe(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

/** The task's egress (only the named endpoints) and the control plane's way in, over Unix sockets. */
async function startForwarders(config: SandboxInitConfig): Promise<void> {
  const listening: Array<Promise<void>> = [];
  for (const { port, socket } of config.outbound) {
    const server = net.createServer((client) => pipe(client, net.connect(socket)));
    listening.push(new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve)));
  }
  for (const { socket, port } of config.inbound) {
    const server = net.createServer((client) => pipe(client, net.connect(port, '127.0.0.1')));
    listening.push(new Promise((resolve, reject) => server.once('error', reject).listen(socket, resolve)));
  }
  await Promise.all(listening);
}

async function main(): Promise<number> {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as SandboxInitConfig;
  buildRoot(config);
  enterRoot(config);
  run('ip', 'link', 'set', 'lo', 'up');
  await startForwarders(config);
  const [setpriv, ...asUser] = containerUser(config.uid, config.gid, config.capabilities);
  const worker = spawn(setpriv, [...asUser, ...config.command], { cwd: config.cwd, env: config.env, stdio: 'inherit' });
  process.on('SIGTERM', () => worker.kill('SIGTERM'));
  fs.writeFileSync(config.readyFile, String(worker.pid));
  return new Promise((resolve) => worker.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0))));
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const stderr = (error as { stderr?: Buffer }).stderr;
    process.stderr.write(`sandbox: ${String(error)}${stderr ? `\n${stderr.toString()}` : ''}\n`);
    process.exit(125);
  },
);
