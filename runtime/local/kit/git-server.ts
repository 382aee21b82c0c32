import { execFile, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { scratchDirectory } from './scratch';

const execFileAsync = promisify(execFile);

/** The name the test CA certifies the server as; the sandbox resolves it to 127.0.0.1. */
export const GIT_HOSTNAME = 'git.outpost.test';

/** A branch's tip in a repository the server holds. */
export interface BranchCommit {
  readonly sha: string;
  readonly branch: string;
  /** Every file of the commit's tree, path → content. */
  readonly files: Readonly<Record<string, string>>;
  readonly parent: string | null;
  readonly author: string;
  readonly subject: string;
}

/** One push the server accepted or refused: who asked, and for which repository. */
export interface PushRecord {
  readonly repository: string;
  readonly status: number;
}

/**
 * A local HTTPS git server: git's own smart HTTP (`git http-backend`, run as CGI as a web server runs it)
 * behind node's https server, with a CA made at start, serving bare repositories it creates. Only requests
 * carrying its one token (Basic password or Bearer) get past 401, as a git host's tokens work.
 * https://git-scm.com/docs/git-http-backend describes the CGI variables set here.
 */
export class GitServer {
  public static async start(token: string): Promise<GitServer> {
    const root = scratchDirectory('git');
    const tls = makeCertificates(path.join(root, 'tls'));
    const repositories = path.join(root, 'repositories');
    fs.mkdirSync(repositories);
    let self: GitServer | undefined;
    const server = https.createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
      self!.handle(request, response, repositories, self!.acceptedToken);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    self = new GitServer(server, root, tls.ca);
    self.acceptedToken = token;
    return self;
  }

  public readonly pushes: PushRecord[] = [];
  /** The one token it accepts. */
  private acceptedToken = '';
  /** Requests refused for want of the token. */
  public unauthorized = 0;

  private constructor(
    private readonly server: https.Server,
    private readonly root: string,
    /** The CA's certificate (PEM), for clients to trust. */
    public readonly caCertificate: string,
  ) {}

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on only `next` gets past 401, as a host stops accepting an installation token once it expires. */
  public rotateToken(next: string): void {
    this.acceptedToken = next;
  }

  /** A bare repository `<name>.git` whose `main` holds one seed commit with `files`. */
  public createRepository(name: string, files: Record<string, string> = { 'README.md': '# Conformance fixture\n' }): string {
    const bare = this.barePath(name);
    const seed = fs.mkdtempSync(path.join(this.root, 'seed-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv(), stdio: 'pipe' });
    git(this.root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    git(seed, 'init', '--quiet', '--initial-branch=main');
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
      fs.writeFileSync(path.join(seed, file), content);
    }
    git(seed, 'add', '--all');
    git(seed, '-c', 'user.name=Seed', '-c', 'user.email=seed@outpost.invalid', 'commit', '--quiet', '-m', 'Seed');
    git(seed, 'push', '--quiet', bare, 'main');
    fs.rmSync(seed, { recursive: true, force: true });
    return name;
  }

  /** The repository's URL as the sandbox reaches the server (its endpoint's port inside). */
  public url(name: string, insidePort: number): string {
    return `https://${GIT_HOSTNAME}${insidePort === 443 ? '' : `:${insidePort}`}/${name}.git`;
  }

  /** The tip of `branch` (e.g. `outpost/<dispatchId>`) and its files, or undefined when there is no such branch. */
  public async commit(name: string, branch: string): Promise<BranchCommit | undefined> {
    const bare = this.barePath(name);
    const git = async (...args: string[]) => (await execFileAsync('git', ['--git-dir', bare, ...args], { env: gitEnv(), maxBuffer: 64 * 1024 * 1024 })).stdout;
    let sha: string;
    try {
      sha = (await git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`)).trim();
    } catch {
      return undefined;
    }
    const paths = (await git('ls-tree', '-r', '-z', '--name-only', sha)).split('\0').filter((p) => p !== '');
    const files = Object.fromEntries(await Promise.all(paths.map(async (file) => [file, await git('show', `${sha}:${file}`)] as const)));
    const [parents, author, subject] = (await git('log', '-1', '--format=%P%n%an <%ae>%n%s', sha)).split('\n');
    return { sha, branch, files, parent: parents.split(' ')[0] || null, author, subject };
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** The bare repository's folder on this machine, for `git --git-dir` (where `outpost local serve` points the user). */
  public barePath(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(name) || name.includes('..')) {
      throw new Error(`repository name ${name} must be letters, digits, ".", "_", "-" and "/"`);
    }
    return path.join(this.root, 'repositories', `${name}.git`);
  }

  private handle(request: import('http').IncomingMessage, response: import('http').ServerResponse, repositories: string, token: string): void {
    const url = new URL(request.url ?? '/', 'https://git.outpost.test');
    const user = authenticatedUser(request.headers.authorization, token);
    if (!user) {
      this.unauthorized++;
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="outpost-conformance"' }).end('token required\n');
      return;
    }
    const pushing = url.pathname.endsWith('/git-receive-pack');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...gitEnv(),
        GIT_PROJECT_ROOT: repositories,
        GIT_HTTP_EXPORT_ALL: '1',
        // A set REMOTE_USER is what lets http-backend accept pushes (http.receivepack's default).
        REMOTE_USER: user,
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length'] && { CONTENT_LENGTH: request.headers['content-length'] }),
        ...(request.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }),
        ...(request.headers['git-protocol'] && { GIT_PROTOCOL: String(request.headers['git-protocol']) }),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    request.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.stderr.resume();
    cgi.once('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n') >= 0 ? output.indexOf('\r\n\r\n') : output.indexOf('\n\n');
      const separator = output.indexOf('\r\n\r\n') >= 0 ? 4 : 2;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of output.subarray(0, split).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        if (name.toLowerCase() === 'status') {
          status = parseInt(value, 10);
        } else if (name) {
          headers[name] = value;
        }
      }
      if (pushing) {
        this.pushes.push({ repository: url.pathname.replace(/\/git-receive-pack$/, ''), status });
      }
      response.writeHead(status, headers).end(output.subarray(split + separator));
    });
  }
}

/** The user of a request that carries the token: any user name with it as the Basic password, or Bearer. */
function authenticatedUser(authorization: string | undefined, token: string): string | undefined {
  const [scheme, value] = (authorization ?? '').split(' ');
  if (scheme === 'Bearer' && value === token) {
    return 'bearer';
  }
  if (scheme === 'Basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0 && decoded.slice(colon + 1) === token) {
      return decoded.slice(0, colon) || 'token';
    }
  }
  return undefined;
}

/** Git with no user or system configuration of this machine's. */
function gitEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
}

/** A CA made now, and a certificate it signs for `hostnames` and 127.0.0.1 (openssl, as any machine has it). */
export function makeCertificates(directory: string, hostnames: readonly string[] = [GIT_HOSTNAME]): { ca: string; key: string; cert: string } {
  fs.mkdirSync(directory);
  const file = (name: string) => path.join(directory, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=Outpost conformance test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${hostnames[0]}`,
    '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('server.ext'), `subjectAltName=${hostnames.map((name) => `DNS:${name}`).join(',')},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('server.ext'), '-out', file('server.pem'));
  return { ca: fs.readFileSync(file('ca.pem'), 'utf8'), key: fs.readFileSync(file('server.key'), 'utf8'), cert: fs.readFileSync(file('server.pem'), 'utf8') };
}
