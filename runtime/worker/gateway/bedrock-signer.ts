import type { OutgoingHttpHeaders } from 'http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { taskCredentials } from '../task-credentials';

/**
 * Signs a Bedrock Runtime request with the task role (SigV4, service `bedrock`), as the SDK would: Claude Code runs
 * with CLAUDE_CODE_SKIP_BEDROCK_AUTH and sends it unsigned to the gateway (code.claude.com/docs/en/llm-gateway,
 * "Amazon Bedrock"). The same signer the worker's KMS calls use (runtime/adapters/kms.ts), so the bundle grows by
 * nothing. Signed: the host, the content type and accept headers, the body's hash; the SDK's path encoding is kept.
 */
export function bedrockSigner(env: Readonly<Record<string, string | undefined>>, region: string) {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials: taskCredentials(env), sha256: Sha256 });
  return async ({ method, url, headers, body }: { method: string; url: URL; headers: OutgoingHttpHeaders; body: Buffer }): Promise<void> => {
    const signedHeaders: Record<string, string> = { host: url.host };
    for (const name of ['content-type', 'accept']) {
      if (typeof headers[name] === 'string') {
        signedHeaders[name] = headers[name];
      }
    }
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: signedHeaders,
      body,
    });
    Object.assign(headers, signed.headers);
  };
}
