import { callProvider } from './provider-http';
import { checkProviderKey } from './provider-key-check';
import type { Provider } from '../core/rotation/providers/key-checks';
import type { KeySource, NewKeyRequest } from '../core/rotation/providers/key-source';
import {
  createdKey, createServiceAccount, deleteServiceAccount, findOnPage, listServiceAccounts, serviceAccountName, type AdminRequest,
} from '../core/rotation/providers/openai-service-accounts';

export interface OpenAiServiceAccountsOptions {
  readonly adminUrl: string;
  readonly projectId: string;
  /** The Admin API key, read when needed so that a replaced admin key is used. */
  readonly adminKey: () => Promise<string>;
  /** The API the keys are tested against. @default - OpenAI's */
  readonly apiUrl?: string;
}

/**
 * OpenAI keys from the Admin API: each rotation creates a service account in the project, named after the new
 * secret version, whose API key becomes that version; retiring a version deletes its account, and the key with it.
 */
export class OpenAiServiceAccounts implements KeySource {
  public readonly mode = 'openai-service-account';

  constructor(private readonly options: OpenAiServiceAccountsOptions) {}

  public async createKey(request: NewKeyRequest): Promise<string> {
    const { adminUrl, projectId } = this.options;
    const name = serviceAccountName(request.token);
    // A retried step finds the account its first try created, whose key OpenAI never shows again: replace it.
    const leftOver = await this.find(name);
    if (leftOver) {
      await this.call(deleteServiceAccount(adminUrl, projectId, leftOver), [200, 404]);
    }
    return createdKey(JSON.parse(await this.call(createServiceAccount(adminUrl, projectId, name), [200, 201])));
  }

  public testKey(provider: Provider, key: string): Promise<void> {
    return checkProviderKey(provider, key, this.options.apiUrl);
  }

  public async retireKey(_provider: Provider, versionId: string): Promise<string> {
    const name = serviceAccountName(versionId);
    const id = await this.find(name);
    if (!id) {
      return `no service account ${name} in project ${this.options.projectId}: the key was not created by Outpost; revoke it in the OpenAI console`;
    }
    await this.call(deleteServiceAccount(this.options.adminUrl, this.options.projectId, id), [200, 404]);
    return `deleted service account ${name} (${id}) and its key`;
  }

  private async find(name: string): Promise<string | undefined> {
    let after: string | undefined;
    do {
      const page = findOnPage(JSON.parse(await this.call(listServiceAccounts(this.options.adminUrl, this.options.projectId, after), [200])), name);
      if (page.id) {
        return page.id;
      }
      after = page.next;
    } while (after);
    return undefined;
  }

  private async call(request: AdminRequest, expected: number[]): Promise<string> {
    const { status, body } = await callProvider({ ...request, headers: { authorization: `Bearer ${await this.options.adminKey()}` } });
    if (!expected.includes(status)) {
      throw new Error(`OpenAI's Admin API answered ${request.method} ${new URL(request.url).pathname} with HTTP ${status}: ${body.slice(0, 200)}`);
    }
    return body;
  }
}
