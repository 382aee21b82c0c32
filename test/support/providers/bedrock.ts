import * as zlib from 'zlib';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { jsonBodyServer, serveStandIn, type ProviderStandIn } from './stand-in';
import type { ModelUsage } from '../../../runtime/contracts/token-usage';
import { usageByModel } from '../../../runtime/worker/agents/usage';

/**
 * A stand-in for Bedrock Runtime's InvokeModel and InvokeModelWithResponseStream with an Anthropic model, built from
 * the Bedrock API reference (`POST /model/{modelId}/invoke`, `/invoke-with-response-stream`), the Claude Messages
 * parameters page (docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html: the
 * body is the Messages API's, the stream's chunks carry its events base64-encoded in `{"bytes"}`) and the event-stream
 * encoding (docs.aws.amazon.com/transcribe/latest/dg/event-stream.html). It checks each request's SigV4 signature
 * against the credentials it is given, as Bedrock would, and answers 403 otherwise.
 */
export interface BedrockStandInOptions {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export async function startBedrockStandIn(options: BedrockStandInOptions): Promise<ProviderStandIn & { readonly signatures: boolean[] }> {
  const requests: Array<{ path: string; model?: string; body: unknown }> = [];
  const reported: ModelUsage[] = [];
  const signatures: boolean[] = [];
  const signer = new SignatureV4({ service: 'bedrock', region: options.region, credentials: options.credentials, sha256: Sha256 });

  const server = jsonBodyServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const match = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(url.pathname);
    const model = match ? decodeURIComponent(match[1]) : undefined;
    requests.push({ path: `${request.method} ${url.pathname}`, model, body });
    void verify(request, url, JSON.stringify(body)).then((valid) => {
      signatures.push(valid);
      if (!valid) {
        response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' });
        return response.end(JSON.stringify({ message: 'The request signature we calculated does not match the signature you provided.' }));
      }
      if (!match) {
        response.writeHead(404, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ message: `Unknown operation ${url.pathname}` }));
      }
      const served = `${model!.replace(/^[a-z]+\.anthropic\./, '').replace(/-v\d+:\d+$/, '')}`;
      const n = reported.length;
      const usage = { input_tokens: 2017 + 13 * n, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024 + n, output_tokens: 71 + 5 * n };
      const cached = usage.cache_read_input_tokens;
      reported.push({ model: served, input: usage.input_tokens + cached, output: usage.output_tokens, cached, cacheWrite: 0 });
      const message = {
        id: `msg_bdrk_${n}`, type: 'message', role: 'assistant', model: served, content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn', stop_sequence: null, usage,
      };
      if (match[2] === 'invoke') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(message));
      }
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      const events = [
        { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Done.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
        { 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: usage.input_tokens, outputTokenCount: usage.output_tokens } },
      ];
      // One message per write, split across two writes at an awkward place, as a network would.
      for (const event of events) {
        const frame = eventStreamMessage({ ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
          Buffer.from(JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') })));
        response.write(frame.subarray(0, 7));
        response.write(frame.subarray(7));
      }
      return response.end();
    });
  });

  async function verify(request: import('http').IncomingMessage, url: URL, body: string): Promise<boolean> {
    const authorization = String(request.headers.authorization ?? '');
    const date = String(request.headers['x-amz-date'] ?? '');
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
    if (!date || signedNames.length === 0) {
      return false;
    }
    const headers = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name] ?? '')]));
    const expected = await signer.sign({
      method: request.method ?? 'POST',
      protocol: 'https:',
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'].includes(name))),
      body,
    }, { signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) });
    return expected.headers.authorization === authorization;
  }

  const standIn = await serveStandIn(server, { requests, reportedUsage: () => usageByModel(reported) ?? [] });
  return { ...standIn, signatures };
}

/** One event-stream message: prelude (lengths, CRC), string headers (type 7), payload, message CRC. */
export function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const encoded = Buffer.concat(Object.entries(headers).map(([name, value]) => {
    const nameBytes = Buffer.from(name);
    const valueBytes = Buffer.from(value);
    const header = Buffer.alloc(1 + nameBytes.length + 3 + valueBytes.length);
    header.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(header, 1);
    header.writeUInt8(7, 1 + nameBytes.length);
    header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(header, 4 + nameBytes.length);
    return header;
  }));
  const total = 12 + encoded.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(encoded.length, 4);
  prelude.writeUInt32BE(zlib.crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, encoded, payload, Buffer.alloc(4)]);
  message.writeUInt32BE(zlib.crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}
