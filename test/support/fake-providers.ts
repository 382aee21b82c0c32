import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

/**
 * The model providers' APIs as far as key rotation calls them, on 127.0.0.1: `GET /v1/models` (and Google's
 * `/v1beta/models`) answers 200 for a known key and 401 otherwise, whichever header the provider reads it from;
 * OpenAI's Admin API lists, creates (each with a new key) and deletes a project's service accounts, for the
 * admin key only.
 */
export class FakeProviders {
  static async start(adminKey: string, projectId: string): Promise<FakeProviders> {
    const fake = new FakeProviders(adminKey, projectId);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Keys the model APIs accept. */
  readonly validKeys = new Set<string>();
  /** The project's service accounts, in creation order, each with its key. */
  readonly serviceAccounts: Array<{ id: string; name: string; key: string }> = [];
  /** Every request: method and path. */
  readonly requests: string[] = [];
  /** Answer every request with this status instead (an outage). */
  outage?: number;
  private readonly server: http.Server;

  private constructor(private readonly adminKey: string, private readonly projectId: string) {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        this.requests.push(`${request.method} ${request.url}`);
        const [status, answer] = this.outage ? [this.outage, { error: 'outage' }] : this.answer(request, body);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, body: string): [number, unknown] {
    const url = new URL(request.url!, this.url);
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (/^\/v1(beta)?\/models$/.test(url.pathname)) {
      const key = bearer ?? request.headers['x-api-key'] ?? request.headers['x-goog-api-key'];
      return this.validKeys.has(String(key)) ? [200, { data: [] }] : [401, { error: 'invalid key' }];
    }
    const accounts = `/v1/organization/projects/${this.projectId}/service_accounts`;
    if (!url.pathname.startsWith(accounts)) {
      return [404, { error: 'not found' }];
    }
    if (bearer !== this.adminKey) {
      return [401, { error: 'not the admin key' }];
    }
    if (request.method === 'GET' && url.pathname === accounts) {
      // Pages of one, to follow the cursor.
      const after = url.searchParams.get('after');
      const start = after ? this.serviceAccounts.findIndex((account) => account.id === after) + 1 : 0;
      const page = this.serviceAccounts.slice(start, start + 1).map(({ id, name }) => ({ id, name, object: 'organization.project.service_account' }));
      return [200, { object: 'list', data: page, has_more: start + 1 < this.serviceAccounts.length, first_id: page[0]?.id ?? null, last_id: page[0]?.id ?? null }];
    }
    if (request.method === 'POST' && url.pathname === accounts) {
      const account = { id: `svc_acct_${randomBytes(4).toString('hex')}`, name: JSON.parse(body).name, key: `sk-svcacct-${randomBytes(16).toString('hex')}` };
      this.serviceAccounts.push(account);
      this.validKeys.add(account.key);
      return [200, { object: 'organization.project.service_account', id: account.id, name: account.name, role: 'member', api_key: { object: 'organization.project.service_account.api_key', id: 'key_1', value: account.key } }];
    }
    const index = this.serviceAccounts.findIndex((account) => `${accounts}/${account.id}` === url.pathname);
    if (request.method === 'DELETE' && index >= 0) {
      const [account] = this.serviceAccounts.splice(index, 1);
      this.validKeys.delete(account.key);
      return [200, { object: 'organization.project.service_account.deleted', id: account.id, deleted: true }];
    }
    return [404, { error: 'not found' }];
  }
}
