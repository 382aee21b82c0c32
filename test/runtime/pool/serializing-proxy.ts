import * as http from 'http';
import type { AddressInfo } from 'net';

/** A loopback endpoint that forwards to another, one request at a time. */
export interface SerializingProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * DynamoDB applies each conditional write atomically; moto's threaded server checks the condition and
 * writes in separate steps, so two concurrent claims can both pass the check. Handing moto one request at
 * a time restores the atomicity of a single request while callers still interleave between requests,
 * which is where a claim protocol must hold.
 */
export async function startSerializingProxy(target: string): Promise<SerializingProxy> {
  let queue: Promise<void> = Promise.resolve();
  const server = http.createServer((request, response) => {
    const body: Buffer[] = [];
    request.on('data', (chunk: Buffer) => body.push(chunk));
    request.on('end', () => {
      queue = queue.then(() => forward(target, request, Buffer.concat(body), response));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function forward(target: string, request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const upstream = http.request(new URL(request.url ?? '/', target), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.on('end', resolve);
    });
    upstream.on('error', (error) => {
      response.writeHead(502).end(String(error));
      resolve();
    });
    upstream.end(body);
  });
}
