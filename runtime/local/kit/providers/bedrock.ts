import type { IncomingMessage, ServerResponse } from 'http';
import * as zlib from 'zlib';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { messageEvents, scriptedMessages } from './anthropic';
import { jsonBodyServer, serveStandIn, type ProviderFailure, type ProviderStandIn, type RecordedRequest } from './stand-in';

/**
 * A stand-in for Bedrock Runtime's InvokeModel and InvokeModelWithResponseStream with an Anthropic model, built from
 * the Bedrock API reference (`POST /model/{modelId}/invoke`, `/invoke-with-response-stream`; "Errors": the status,
 * `{"message"}` and the type in `x-amzn-ErrorType`), the Claude Messages parameters page
 * (docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html: the body is the
 * Messages API's with `anthropic_version` and without `model` and `stream`, the model being in the path; the stream's
 * chunks carry the Messages events base64-encoded in `{"bytes"}`, the last with `amazon-bedrock-invocationMetrics`)
 * and the event-stream encoding (docs.aws.amazon.com/transcribe/latest/dg/event-stream.html). It checks each
 * request's SigV4 signature against the credentials it is given, as Bedrock would, and answers 403 otherwise; a
 * signed request gets the scripted conversation the Anthropic stand-in gives (anthropic.ts), so that Claude Code edits.
 */
export interface BedrockStandInOptions {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** The file the scripted agent writes, and what it writes. @default none: every answer is a short text */
  readonly edit?: { readonly file: string; readonly content: string };
  /** A command Claude Code runs with its Bash tool before the edit (ScriptOptions.probe). */
  readonly probe?: string;
  /** Every invocation fails so, in Bedrock's shape (FAILURES). */
  readonly failure?: ProviderFailure;
}

/** One request the stand-in got, with whether its signature was the task role's. */
export interface BedrockRequest extends RecordedRequest {
  readonly signed: boolean;
  /** The SigV4 credential scope's access key id, or undefined for a request without one. */
  readonly accessKeyId?: string;
}

export interface BedrockStandIn extends ProviderStandIn {
  readonly requests: readonly BedrockRequest[];
}

/**
 * Each failure as the InvokeModel reference's "Errors" lists it: AccessDeniedException (403), ThrottlingException
 * (429), InternalServerException (500), and, for a model past its end of life, ResourceNotFoundException (404:
 * Bedrock has no 410).
 */
const FAILURES: Record<ProviderFailure, { status: number; type: string; message: (model: string) => string }> = {
  'unauthorized': {
    status: 403,
    type: 'AccessDeniedException',
    message: (model) => `User: arn:aws:sts::123456789012:assumed-role/outpost-claude-task/conformance is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: ${model} (stand-in)`,
  },
  'throttled': { status: 429, type: 'ThrottlingException', message: () => 'Too many requests, please wait before trying again. (stand-in)' },
  'server-error': { status: 500, type: 'InternalServerException', message: () => 'The server encountered an internal error while processing the request. (stand-in)' },
  'gone': { status: 404, type: 'ResourceNotFoundException', message: () => 'This model version has reached the end of its life. (stand-in)' },
};

/** The Anthropic model id Bedrock reports in a message: the profile's geography, the vendor and the version dropped. */
export function bedrockServedModel(modelId: string): string {
  return modelId.replace(/^(?:[a-z-]+\.)?anthropic\./, '').replace(/-v\d+:\d+$/, '');
}

export async function startBedrockStandIn(options: BedrockStandInOptions): Promise<BedrockStandIn> {
  const requests: BedrockRequest[] = [];
  const script = scriptedMessages(options.edit ?? { file: '', content: '' }, { probe: options.probe });
  const signer = new SignatureV4({ service: 'bedrock', region: options.region, credentials: options.credentials, sha256: Sha256 });
  let served = 0;

  const server = jsonBodyServer((request, response, body, raw) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const match = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(url.pathname);
    const model = match ? decodeURIComponent(match[1]) : undefined;
    const accessKeyId = /Credential=([^/,]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
    void verify(request, url, raw).then((signed) => {
      requests.push({ path: `${request.method} ${url.pathname}`, model, body, signed, accessKeyId });
      response.setHeader('x-amzn-requestid', `b7e1c0de-0000-4000-8000-${String(requests.length).padStart(12, '0')}`);
      if (!signed) {
        const message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
        return error(response, 403, 'InvalidSignatureException', message);
      }
      if (!match || request.method !== 'POST') {
        return error(response, 404, 'UnknownOperationException', `Unknown operation ${request.method} ${url.pathname} (stand-in)`);
      }
      if (options.failure) {
        const failure = FAILURES[options.failure];
        return error(response, failure.status, failure.type, failure.message(model!));
      }
      const message = script.answer(body, bedrockServedModel(model!));
      served++;
      if (match[2] === 'invoke') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(message));
      }
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      // The Messages events less the ping (the Bedrock page's stream shows none), the last with Bedrock's metrics.
      const events = messageEvents(message).filter((event) => event.type !== 'ping');
      events[events.length - 1] = {
        ...events[events.length - 1],
        'amazon-bedrock-invocationMetrics': {
          inputTokenCount: message.usage.input_tokens,
          outputTokenCount: message.usage.output_tokens,
          invocationLatency: 431 + served,
          firstByteLatency: 97 + served,
        },
      };
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

  /** Signs the request again with the task role's keys at the time it claims, over the headers it says it signed. */
  async function verify(request: IncomingMessage, url: URL, body: Buffer): Promise<boolean> {
    const authorization = String(request.headers.authorization ?? '');
    const date = String(request.headers['x-amz-date'] ?? '');
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
    if (!/^\d{8}T\d{6}Z$/.test(date) || !signedNames.includes('host')) {
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

  return { ...await serveStandIn(server, { requests, reportedUsage: script.reportedUsage }), requests };
}

function error(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
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
