import { verify, type KeyObject } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { documentedFixture } from './documented-shape';

/**
 * GitHub's documented answers (fixtures/github-rest-examples.json, recorded from @octokit/openapi@23.0.2's
 * generated/api.github.com.json): the examples of the two endpoints and the schemas of their errors. A fresh
 * copy each call.
 */
export function documentedGitHub(): { source: string; installation: any; installationToken: any; basicError: any; validationError: any } {
  return documentedFixture('github-rest-examples.json');
}

/** Where GitHub's error bodies point (`documentation_url`): the endpoints' reference. */
const DOCUMENTATION_URL = 'https://docs.github.com/rest/apps/apps';

/** A token request GitHub granted, as the fake recorded it. */
export interface MintedToken {
  readonly installationId: number;
  readonly repositories: string[];
  readonly permissions: Record<string, string>;
  readonly token: string;
}

export interface FakeGitHubOptions {
  /** The app's ID: the JWT's `iss` must be it. */
  readonly appId: number;
  /** The app's public key: the JWT's RS256 signature must verify with it. */
  readonly publicKey: KeyObject;
  /** Where the app is installed: `owner/repo` → installation id. */
  readonly installations: Record<string, number>;
}

/** What the fake answers instead, for the paths matching `path`: GitHub's errors and outages. */
export interface Override {
  readonly path: RegExp;
  readonly status: number;
  readonly body?: unknown;
  /** Never answer (a GitHub that hangs). */
  readonly hang?: boolean;
}

const MAX_JWT_LIFETIME_SECONDS = 10 * 60;

interface TokenRequest {
  readonly repositories?: string[];
  readonly permissions?: Record<string, string>;
}

/**
 * GitHub's REST API as far as a GitHub App mints installation tokens, on 127.0.0.1: it verifies every JWT (RS256
 * with the app's public key; iss, iat and exp as GitHub checks them) and grants tokens only for repositories of
 * the installation, each token scoped to the repositories requested. Its answers are GitHub's documented
 * examples with this installation's ids, names and token in them, and its errors have the documented error
 * body (`message`, `documentation_url`).
 */
export class FakeGitHub {
  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Every request, in order: method, path and the headers that matter. */
  readonly requests: Array<{ method: string; path: string; userAgent?: string; apiVersion?: string }> = [];
  readonly minted: MintedToken[] = [];
  readonly overrides: Override[] = [];
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private readonly options: FakeGitHubOptions) {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => this.answer(request, body, response));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.hanging.forEach((response) => response.destroy());
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: http.IncomingMessage, body: string, response: http.ServerResponse): void {
    const path = request.url ?? '/';
    this.requests.push({ method: request.method ?? '', path, userAgent: request.headers['user-agent'], apiVersion: request.headers['x-github-api-version'] as string | undefined });
    const override = this.overrides.find((candidate) => candidate.path.test(path));
    const send = (status: number, document: unknown) => {
      // GitHub's error bodies carry a documentation_url beside the message (basic-error, validation-error).
      if (status >= 400 && !override && typeof document === 'object' && document !== null) {
        document = { ...document, documentation_url: DOCUMENTATION_URL };
      }
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(document));
    };
    if (override?.hang) {
      this.hanging.add(response);
      return;
    }
    if (override) {
      return send(override.status, override.body ?? { message: `status ${override.status}` });
    }
    const problem = this.jwtProblem(request.headers.authorization);
    if (problem) {
      return send(401, { message: problem });
    }
    const lookup = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
    if (request.method === 'GET' && lookup) {
      const id = this.options.installations[`${lookup[1]}/${lookup[2]}`];
      return id ? send(200, this.installation(id, lookup[1])) : send(404, { message: 'Not Found' });
    }
    const tokens = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (request.method === 'POST' && tokens) {
      return this.mint(Number(tokens[1]), JSON.parse(body || '{}'), send);
    }
    send(404, { message: 'Not Found' });
  }

  private mint(installationId: number, request: TokenRequest, send: (status: number, document: unknown) => void): void {
    const owned = Object.entries(this.options.installations).filter(([, id]) => id === installationId).map(([name]) => name.split('/')[1]);
    if (owned.length === 0) {
      return send(404, { message: 'Not Found' });
    }
    const repositories = request.repositories ?? owned;
    if (!repositories.every((name) => owned.includes(name))) {
      return send(422, { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' });
    }
    const token = `ghs_fake${this.minted.length + 1}_${repositories.join('_')}`;
    this.minted.push({ installationId, repositories, permissions: request.permissions ?? {}, token });
    const documented = documentedGitHub();
    const owner = Object.keys(this.options.installations).find((name) => this.options.installations[name] === installationId)!.split('/')[0];
    const [repository] = documented.installationToken.repositories;
    send(201, {
      ...documented.installationToken,
      token,
      // GitHub's format: seconds, no fraction (the example's "2016-07-11T22:14:10Z").
      expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      // Without a request for permissions, the token has the installation's.
      permissions: request.permissions ?? documented.installation.permissions,
      repository_selection: 'selected',
      repositories: repositories.map((name) => ({ ...repository, name, full_name: `${owner}/${name}`, owner: { ...repository.owner, login: owner } })),
    });
  }

  /** The documented installation, as this app's installation `id` on `owner`. */
  private installation(id: number, owner: string): unknown {
    const { installation } = documentedGitHub();
    return {
      ...installation,
      id,
      app_id: this.options.appId,
      account: { ...installation.account, login: owner },
      access_tokens_url: `${this.url}/app/installations/${id}/access_tokens`,
    };
  }

  /** Why GitHub would refuse this JWT, or undefined when it is good. */
  private jwtProblem(authorization: string | undefined): string | undefined {
    const parts = /^Bearer (.+)$/.exec(authorization ?? '')?.[1].split('.');
    if (parts?.length !== 3) {
      return 'A JSON web token could not be decoded';
    }
    const [header, claims] = parts.slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    if (header.alg !== 'RS256') {
      return `'alg' must be RS256, got ${header.alg}`;
    }
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.options.publicKey, Buffer.from(parts[2], 'base64url'))) {
      return 'A JSON web token could not be decoded';
    }
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== String(this.options.appId)) {
      return `'Issuer' claim ('iss') must be the app's ID, got ${claims.iss}`;
    }
    if (!(claims.iat <= now)) {
      return '\'Issued at\' claim (\'iat\') must be an Integer representing a time in the past.';
    }
    if (!(claims.exp > now && claims.exp - now <= MAX_JWT_LIFETIME_SECONDS)) {
      return '\'Expiration time\' claim (\'exp\') is too far in the future or already past.';
    }
    return undefined;
  }
}
