import type { IncomingMessage } from 'http';
import type { ReceivedRequest } from './sigv4';

/** A request as it arrived, with its body read: the gate checks the signature over it and forwards it unchanged. */
export interface ArrivedRequest extends ReceivedRequest {
  readonly body: Buffer;
  /** The query's pairs, for the operations' mapping. */
  readonly params: URLSearchParams;
}

export async function readRequest(request: IncomingMessage): Promise<ArrivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const url = request.url ?? '/';
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? [] : parseQuery(url.slice(at + 1));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return { method: request.method ?? 'GET', rawPath, query, headers, body: Buffer.concat(chunks), params: new URLSearchParams(query as Array<[string, string]>) };
}

/** The query's pairs, percent-decoded; `+` stays `+`, as SigV4 reads it (URLSearchParams would make it a space). */
function parseQuery(raw: string): Array<[string, string]> {
  return raw.split('&').filter((pair) => pair !== '').map((pair) => {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    return [safeDecode(name), safeDecode(value)];
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
