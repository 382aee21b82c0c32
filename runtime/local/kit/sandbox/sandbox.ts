import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { containerUser } from './privileges';
import type { SandboxInitConfig } from './sandbox-init';
import { hasExited } from '../../process-tree';
import type { InstalledCli } from '../cli-install';
import { packageRoot } from '../package-root';
import { scratchDirectory } from '../scratch';
import type { TaskConditions, TaskMount } from '../task-conditions';

/** The OS directories of the host that stand in for the image's: bound read-only at the same path. */
const SYSTEM_DIRECTORIES = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/var'];
/** Ubuntu's default PATH, which the image inherits (it sets none). */
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Where Debian's and Ubuntu's git (libcurl) and OpenSSL look for trusted CAs. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const SOCKET_DIRECTORY = '/run/outpost';
/**
 * Where a node outside the host's OS directories (npm's `node` package, inside the repository's node_modules)
 * is bound: never at its host path, which would show the agent the repository's path.
 */
const NODE_PREFIX = '/opt/node';
const READY_TIMEOUT_MS = 15_000;

/** A server of the harness that the sandbox may reach, as 127.0.0.1:<insidePort> inside. */
export interface Endpoint {
  readonly hostPort: number;
  readonly insidePort: number;
  /** Names that resolve to 127.0.0.1 inside (/etc/hosts). */
  readonly hostnames?: readonly string[];
}

export interface SandboxOptions {
  readonly conditions: TaskConditions;
  /** Put on PATH, as the image's install puts the CLI on PATH. */
  readonly cli?: InstalledCli;
  /** The only servers reachable from inside, by name. */
  readonly endpoints: Readonly<Record<string, Endpoint>>;
  /** The port inside that the harness may reach from outside (the worker's). */
  readonly inboundPort: number;
  /** Variables the task gets beyond its definition's (RunTask overrides, secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Files the test adds to the image (a script agent): image path ← host file. */
  readonly extraFiles?: ReadonlyArray<{ readonly path: string; readonly source: string; readonly mode: number }>;
  /**
   * Volumes whose files live outside the task (Outpost Local's EFS access points): host directory → container
   * path, bound as they are, and left in place when the sandbox is disposed.
   */
  readonly sharedVolumes?: ReadonlyArray<{ readonly source: string; readonly target: string; readonly readOnly: boolean }>;
  /** PEM of CAs to trust besides the system's (the test git server's). */
  readonly extraCa?: string;
  readonly command: readonly string[];
}

/**
 * The agent's container, as Fargate would run it, built from Linux namespaces with util-linux (`unshare`,
 * `mount`, `setpriv`, `pivot_root`) and iproute2 (`ip`): a read-only root, the task's volumes with Fargate's
 * bind-mount ownership, the task definition's user with the capabilities it leaves, and a network of loopback only where the
 * named endpoints are forwarded in. Needs root (CI runs as root); anything else fails with the reason.
 */
export class Sandbox {
  public static async start(options: SandboxOptions): Promise<Sandbox> {
    assertNamespacesAvailable();
    const directory = scratchDirectory('sandbox');
    const sockets = path.join(directory, 'sockets');
    fs.mkdirSync(sockets, { mode: 0o700 });
    const servers = await Promise.all(Object.entries(options.endpoints).map(([name, endpoint]) =>
      forward(path.join(sockets, `${name}.sock`), endpoint.hostPort)));
    const config = initConfig(options, directory);
    const configFile = path.join(directory, 'init.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const child = spawn('unshare', ['--mount', '--net', '--pid', '--fork', '--kill-child', '--propagation', 'private', '--',
      process.execPath, sandboxInitScript(), configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const sandbox = new Sandbox(child, directory, servers, config);
    await sandbox.waitUntilReady(path.join(sockets, 'ready'));
    return sandbox;
  }

  public readonly exited: Promise<number>;
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly directory: string,
    private readonly servers: net.Server[],
    private readonly config: SandboxInitConfig,
  ) {
    child.stdout?.on('data', (chunk) => { this.output += chunk; });
    child.stderr?.on('data', (chunk) => { this.output += chunk; });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : 1))));
  }

  /**
   * Runs a command in the running container as its user, in its environment, as ECS runs the health check:
   * `nsenter` into the sandbox's namespaces and root.
   */
  public exec(command: readonly string[]): Promise<{ exitCode: number; output: string }> {
    const init = String(this.initPid());
    const [setpriv, ...asUser] = containerUser(this.config.uid, this.config.gid, this.config.capabilities);
    const child = spawn('nsenter', ['--target', init, '--mount', '--net', '--pid', '--root', '--wd', '--', setpriv, ...asUser, ...command], {
      env: this.config.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ exitCode: code ?? 1, output }));
    });
  }

  /**
   * A file of one of the task's writable volumes as the container left it, read from the host side (so it works
   * after the worker has exited): undefined when there is none, or the path is not on a volume.
   */
  public volumeFile(containerPath: string): string | undefined {
    const volume = this.config.volumes.find((v) => containerPath === v.target || containerPath.startsWith(`${v.target}/`));
    if (!volume) {
      return undefined;
    }
    const file = path.join(volume.source, path.posix.relative(volume.target, containerPath));
    return fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
  }

  /** Every regular file of the task's writable volumes (up to 1 MiB each) by container path: what the task left. */
  public volumeFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (hostDirectory: string, containerDirectory: string): void => {
      for (const entry of fs.readdirSync(hostDirectory, { withFileTypes: true })) {
        const host = path.join(hostDirectory, entry.name);
        const container = path.posix.join(containerDirectory, entry.name);
        if (entry.isDirectory()) {
          walk(host, container);
        } else if (entry.isFile() && fs.statSync(host).size <= 1024 * 1024) {
          files[container] = fs.readFileSync(host, 'latin1');
        }
      }
    };
    this.config.volumes.forEach((volume) => walk(volume.source, volume.target));
    return files;
  }

  /** Signals the container's PID 1, as ECS's StopTask sends SIGTERM (the init passes it to the worker). */
  public signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.initPid(), signal);
    } catch (error) {
      // Gone already (a terminal's Ctrl-C reaches `unshare` too): nothing left to signal, which is no error.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH' && !hasExited(this.child.pid!)) {
        throw error;
      }
    }
  }

  /** What the sandbox printed: the worker's log lines, and the sandbox's own errors. */
  public get log(): string {
    return this.output;
  }

  /** An HTTP request to the worker's port inside, through its forwarder. */
  /** The Unix socket outside whose connections reach the inbound port inside (the worker's). */
  public get inboundSocket(): string {
    return path.join(this.directory, 'sockets', 'worker.sock');
  }

  public request(method: string, urlPath: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request({ socketPath: this.inboundSocket, method, path: urlPath, headers: { ...headers, host: 'worker' } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Stops whatever still runs (the whole pid namespace dies with its init) and removes the files. */
  public async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await Promise.all(this.servers.map((server) => new Promise((resolve) => {
      server.close(resolve);
      FORWARDED.get(server)?.forEach((connection) => connection.destroy());
    })));
    fs.rmSync(this.directory, { recursive: true, force: true });
  }

  /** The host's pid of the sandbox's init: `unshare --fork`'s one child. */
  private initPid(): number {
    const pid = Number(fs.readFileSync(`/proc/${this.child.pid}/task/${this.child.pid}/children`, 'utf8').trim().split(' ')[0]);
    if (!pid) {
      throw new Error(`the sandbox has no init process (it exited with ${String(this.child.exitCode)})`);
    }
    return pid;
  }

  private async waitUntilReady(readyFile: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!fs.existsSync(readyFile)) {
      if (this.child.exitCode !== null || Date.now() > deadline) {
        const reason = this.child.exitCode !== null ? `exited with ${this.child.exitCode}` : `not ready within ${READY_TIMEOUT_MS} ms`;
        await this.dispose();
        throw new Error(`the sandbox ${reason}:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Never a skip: a machine that cannot make namespaces fails the sandbox's start (and so the conformance tests), saying why. */
function assertNamespacesAvailable(): void {
  if (process.platform !== 'linux') {
    throw new Error(`the task sandbox (Outpost Local's and the conformance tests') needs Linux namespaces; this is ${process.platform}`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error('the task sandbox needs root (mount, pid and network namespaces, setpriv to the image\'s user); CI runs as root');
  }
  for (const tool of ['unshare', 'setpriv', 'mount', 'pivot_root', 'ip']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`the task sandbox needs \`${tool}\` (${tool === 'ip' ? 'iproute2' : 'util-linux'}) on PATH`);
    }
  }
  try {
    execFileSync('unshare', ['--mount', '--net', '--pid', '--fork', 'true'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this machine cannot create mount, network and pid namespaces: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

/**
 * Each forwarder's open connections, both sides: dispose() destroys them, since a connection kept alive by the
 * server outside (a provider stand-in's keep-alive, behind its TLS front) would otherwise hold close() forever
 * after the sandbox's end of it is gone.
 */
const FORWARDED = new WeakMap<net.Server, Set<net.Socket>>();

/** A Unix socket outside whose connections go to 127.0.0.1:<port>: an endpoint's way out of the sandbox. */
function forward(socket: string, port: number): Promise<net.Server> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const end of [client, upstream]) {
      open.add(end);
      end.once('close', () => open.delete(end));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  FORWARDED.set(server, open);
  return new Promise((resolve, reject) => server.once('error', reject).listen(socket, () => resolve(server)));
}

/**
 * sandbox-init.ts as one CommonJS file for plain node, which the build bundles (`bundle:runtime`) into the
 * package's assets, so that neither Outpost Local nor the tests need esbuild to start a sandbox.
 */
export function sandboxInitScript(root: string = packageRoot()): string {
  const script = path.join(root, 'assets', 'local', 'sandbox-init.js');
  if (!fs.existsSync(script)) {
    throw new Error(`${script} is missing: the build makes it (\`npx projen bundle:runtime\`)`);
  }
  return script;
}

function initConfig(options: SandboxOptions, directory: string): SandboxInitConfig {
  const { conditions } = options;
  const generated = path.join(directory, 'generated');
  fs.mkdirSync(generated);
  fs.mkdirSync(path.join(directory, 'root'));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(generated, name), text);
    return path.join(generated, name);
  };
  const hostnames = ['localhost', ...Object.values(options.endpoints).flatMap((endpoint) => endpoint.hostnames ?? [])];
  const files = [
    ...conditions.copies.map(({ source, destination }) => ({ path: destination, source, mode: 0o644 })),
    { path: '/etc/passwd', source: write('passwd', passwd(conditions)), mode: 0o644 },
    { path: '/etc/group', source: write('group', group(conditions)), mode: 0o644 },
    { path: '/etc/hosts', source: write('hosts', `127.0.0.1\t${hostnames.join(' ')}\n::1\tlocalhost ip6-localhost ip6-loopback\n`), mode: 0o644 },
    { path: SYSTEM_CA_BUNDLE, source: write('ca-certificates.crt', `${fs.readFileSync(SYSTEM_CA_BUNDLE, 'utf8')}\n${options.extraCa ?? ''}`), mode: 0o644 },
    ...options.extraFiles ?? [],
  ];
  const node = fs.realpathSync(process.execPath);
  const nodePrefix = path.dirname(path.dirname(node));
  const underSystem = (target: string) => SYSTEM_DIRECTORIES.some((system) => target === system || target.startsWith(`${system}/`));
  const readOnlyBinds = [
    ...options.cli ? [{ source: options.cli.prefix, target: options.cli.prefix }] : [],
    ...underSystem(node) ? [] : [{ source: nodePrefix, target: NODE_PREFIX }],
  ];
  const nodeBin = underSystem(node) ? undefined : path.posix.join(NODE_PREFIX, path.relative(nodePrefix, path.dirname(node)));
  const pathVariable = [options.cli?.binDir, nodeBin, conditions.environment.PATH ?? IMAGE_PATH]
    .filter((p) => p !== undefined).join(':');
  const inbound = { socket: path.posix.join(SOCKET_DIRECTORY, 'worker.sock'), port: options.inboundPort };
  return {
    root: path.join(directory, 'root'),
    systemDirectories: SYSTEM_DIRECTORIES,
    readOnlyBinds,
    imageDirectories: Object.entries(conditions.imagePaths).map(([imagePath, { uid, gid, mode }]) => ({ path: imagePath, uid, gid, mode })),
    files,
    volumes: conditions.mounts.map((mount) => ({
      source: prepareVolume(path.join(directory, 'volumes', mount.volume), mount, conditions),
      target: mount.containerPath,
      readOnly: mount.readOnly,
    })).concat(options.sharedVolumes ?? []),
    socketSource: path.join(directory, 'sockets'),
    socketDirectory: SOCKET_DIRECTORY,
    outbound: Object.entries(options.endpoints).map(([name, endpoint]) => ({ port: endpoint.insidePort, socket: path.posix.join(SOCKET_DIRECTORY, `${name}.sock`) })),
    inbound: [inbound],
    uid: conditions.uid,
    gid: conditions.gid,
    capabilities: conditions.capabilities,
    cwd: conditions.workdir,
    env: { ...conditions.environment, ...options.env, PATH: pathVariable },
    command: options.command,
    readyFile: path.posix.join(SOCKET_DIRECTORY, 'ready'),
    readonlyRoot: conditions.readonlyRootFilesystem,
  };
}

/** The image's users (root and `agent`), and nobody. */
function passwd(conditions: TaskConditions): string {
  return [
    ...conditions.users.map((user) => `${user.name}:x:${user.uid}:${user.gid}::${user.home}:/bin/bash`),
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    '',
  ].join('\n');
}

function group(conditions: TaskConditions): string {
  return [...conditions.users.map((user) => `${user.name}:x:${user.gid}:`), 'nogroup:x:65534:', ''].join('\n');
}

/**
 * A task volume without a host path, as Fargate (platform 1.4.0) mounts it: a fresh directory on the task's
 * ephemeral storage, owned by root with mode 0755 - unless the image declares a `VOLUME` at the container
 * path, in which case the image's contents, owner and mode there are copied into it.
 * - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html ("By default, the volume
 *   permissions are set to 0755 and the owner as root. These permissions can be customized in the Dockerfile.")
 *   and its example "To expose a path and its contents from a Dockerfile to one or more containers" (VOLUME).
 * - https://github.com/aws/containers-roadmap/issues/938: a non-root user cannot write a Fargate bind mount.
 * - https://github.com/aws/containers-roadmap/issues/863: the VOLUME's owner and mode are what is copied.
 */
function prepareVolume(directory: string, mount: TaskMount, conditions: TaskConditions): string {
  if (mount.hostPath !== undefined) {
    throw new Error(`volume ${mount.volume} has a host path (${mount.hostPath}): Fargate has none`);
  }
  fs.mkdirSync(directory, { recursive: true });
  const image = conditions.volumes.includes(mount.containerPath) ? conditions.imagePaths[mount.containerPath] : undefined;
  if (image?.skeleton) {
    fs.cpSync(image.skeleton, directory, { recursive: true });
    execFileSync('chown', ['-R', `${image.uid}:${image.gid}`, directory]);
  }
  fs.chownSync(directory, image?.uid ?? 0, image?.gid ?? 0);
  fs.chmodSync(directory, image?.mode ?? 0o755);
  return directory;
}
