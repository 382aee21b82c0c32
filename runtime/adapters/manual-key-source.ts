import { checkProviderKey } from './provider-key-check';
import type { Provider } from '../core/rotation/providers/key-checks';
import type { KeySource } from '../core/rotation/providers/key-source';

/**
 * For providers without an API that creates keys: an operator creates the key and puts it as the pending version
 * (the createSecret step tells them how); the key is still tested with the provider before it becomes current.
 */
export class ManualKeySource implements KeySource {
  public readonly mode = 'manual';

  constructor(private readonly apiUrl?: string) {}

  public async createKey(): Promise<undefined> {
    return undefined;
  }

  public testKey(provider: Provider, key: string): Promise<void> {
    return checkProviderKey(provider, key, this.apiUrl);
  }

  public async retireKey(provider: Provider, versionId: string): Promise<string> {
    return `version ${versionId} is no longer staged; revoke its key in the ${provider} console`;
  }
}
