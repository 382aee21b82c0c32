/** The model providers whose keys the platform keeps (src/agents/agent-kind.ts, ModelProvider). */
export const PROVIDERS = ['anthropic', 'openai', 'google', 'xai'] as const;
export type Provider = typeof PROVIDERS[number];

interface KeyCheck {
  /** The provider's API, without a trailing slash. */
  readonly apiUrl: string;
  /** An authenticated read that costs nothing: the list of models. */
  readonly path: string;
  readonly headers: (key: string) => Record<string, string>;
  /** Every key the provider issues starts so: a pasted key of another provider is caught before any call. */
  readonly prefix: string;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const CHECKS: Readonly<Record<Provider, KeyCheck>> = {
  anthropic: { apiUrl: 'https://api.anthropic.com', path: '/v1/models', headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }), prefix: 'sk-ant-' },
  openai: { apiUrl: 'https://api.openai.com', path: '/v1/models', headers: bearer, prefix: 'sk-' },
  google: { apiUrl: 'https://generativelanguage.googleapis.com', path: '/v1beta/models', headers: (key) => ({ 'x-goog-api-key': key }), prefix: 'AIza' },
  xai: { apiUrl: 'https://api.x.ai', path: '/v1/models', headers: bearer, prefix: 'xai-' },
};

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** Why a value cannot be the provider's API key, or undefined when it may be. */
export function keyFormatProblem(provider: Provider, key: string): string | undefined {
  if (/\s/.test(key)) {
    return 'it contains white space (a line break copied with it?)';
  }
  if (!key.startsWith(CHECKS[provider].prefix)) {
    return `${provider} API keys start with "${CHECKS[provider].prefix}"`;
  }
  return undefined;
}

export interface KeyCheckRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** The request that tells whether the provider accepts a key. */
export function keyCheckRequest(provider: Provider, key: string, apiUrl?: string): KeyCheckRequest {
  const check = CHECKS[provider];
  return { url: `${apiUrl ?? check.apiUrl}${check.path}`, headers: check.headers(key) };
}

/** What the provider's answer says about the key: accepted, refused, or nothing (an outage is not a verdict). */
export function keyCheckVerdict(status: number): 'accepted' | 'refused' | 'unknown' {
  if (status >= 200 && status < 300) {
    return 'accepted';
  }
  return status === 401 || status === 403 ? 'refused' : 'unknown';
}
