import { callProvider } from './provider-http';
import { keyCheckRequest, keyCheckVerdict, keyFormatProblem, type Provider } from '../core/rotation/providers/key-checks';

/**
 * Tests a key as testSecret must: its format first, then one authenticated read at the provider (its models).
 * Only an accepted key passes; a refusal or an outage fails the step, which leaves AWSCURRENT as it is.
 */
export async function checkProviderKey(provider: Provider, key: string, apiUrl?: string): Promise<void> {
  const problem = keyFormatProblem(provider, key);
  if (problem) {
    throw new Error(`The pending value is not a ${provider} API key: ${problem}`);
  }
  const { url, headers } = keyCheckRequest(provider, key, apiUrl);
  const { status } = await callProvider({ method: 'GET', url, headers });
  const verdict = keyCheckVerdict(status);
  if (verdict === 'refused') {
    throw new Error(`${provider} refused the pending key (HTTP ${status} from ${url})`);
  }
  if (verdict === 'unknown') {
    throw new Error(`${provider} could not say whether the pending key works (HTTP ${status} from ${url}); the next try tests it again`);
  }
}
