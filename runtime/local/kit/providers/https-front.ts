import * as net from 'net';
import * as path from 'path';
import * as tls from 'tls';
import type { ProviderStandIn } from './stand-in';
import { makeCertificates } from '../git-server';
import { scratchDirectory } from '../scratch';

/** A stand-in reached over TLS, as a provider's API is: what the model gateway forwards to in tests. */
export interface HttpsFront {
  /** `https://127.0.0.1:<port>`: the gateway's upstream override. */
  readonly url: string;
  readonly port: number;
  /** The test CA's certificate (PEM), which the gateway is told to trust. */
  readonly ca: string;
  /** Everything clients sent, decrypted: what left the gateway, headers and bodies. */
  received(): string;
  stop(): Promise<void>;
}

/**
 * TLS in front of a stand-in (which speaks plain HTTP): a test CA made now (git-server.ts's, certifying 127.0.0.1 and
 * `hostnames`),
 * each connection decrypted and piped to the stand-in, and the decrypted bytes kept.
 */
export async function httpsFront(standIn: Pick<ProviderStandIn, 'port'>, hostnames?: readonly string[]): Promise<HttpsFront> {
  const certificates = makeCertificates(path.join(scratchDirectory('provider-tls'), 'tls'), hostnames);
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: certificates.key, cert: certificates.cert }, (secure) => {
    const plain = net.connect(standIn.port, '127.0.0.1');
    sockets.add(secure).add(plain);
    secure.on('data', (chunk: Buffer) => received.push(chunk));
    secure.pipe(plain).pipe(secure);
    const close = () => { secure.destroy(); plain.destroy(); };
    secure.on('error', close).on('close', close);
    plain.on('error', close).on('close', close);
  });
  // Every connection, a TLS handshake never finished included, so that stop() never waits on one.
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    ca: certificates.ca,
    received: () => Buffer.concat(received).toString('utf8'),
    stop: () => new Promise<void>((resolve) => {
      sockets.forEach((socket) => socket.destroy());
      server.close(() => resolve());
    }),
  };
}
