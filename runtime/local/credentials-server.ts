import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Credentials } from './iam/gate-credentials';

/**
 * The container credentials endpoint of local tasks, as ECS serves a task role's credentials at 169.254.170.2
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html): `GET <path>` answers
 * `{AccessKeyId, SecretAccessKey, Token, Expiration, RoleArn}` for the task the path was made for.
 */
export class CredentialsServer {
  public static async start(): Promise<CredentialsServer> {
    const server = new CredentialsServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  private readonly byPath = new Map<string, { roleArn: string; credentials: () => Credentials }>();
  private readonly server = http.createServer((request, response) => {
    const entry = this.byPath.get(request.url ?? '');
    if (request.method !== 'GET' || !entry) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no credentials here' }));
      return;
    }
    const credentials = entry.credentials();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
      RoleArn: entry.roleArn,
    }));
  });

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** A path (unguessable, like ECS's relative URI) that serves `roleArn`'s credentials. */
  public register(roleArn: string, credentials: () => Credentials): string {
    const path = `/v2/credentials/${randomBytes(16).toString('hex')}`;
    this.byPath.set(path, { roleArn, credentials });
    return path;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
