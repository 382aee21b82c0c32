import * as http from 'http';

/** Headers a hop does not pass on (RFC 9110 §7.6.1), and the length, which the body sets again. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);

/**
 * moto behind the gate. Requests go on as they came (moto, started without INITIAL_NO_AUTH_ACTION_COUNT,
 * checks no signature), with one header added: `x-moto-account-id`, so that moto keeps every resource in the
 * gate's account whatever access key a handler signs with.
 */
export class Upstream {
  private readonly url: URL;

  constructor(endpoint: string, private readonly accountId: string, private readonly region: string) {
    this.url = new URL(endpoint);
  }

  /** Sends the request to moto and streams moto's answer back to `response`. */
  forward(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): Promise<void> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) {
        headers[name] = value;
      }
    }
    headers['content-length'] = body.length;
    headers['x-moto-account-id'] = this.accountId;
    return new Promise((resolve, reject) => {
      const upstream = http.request({
        host: this.url.hostname, port: this.url.port, method: request.method, path: request.url, headers,
      }, (answer) => {
        const passed = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name) || name === 'content-length'));
        response.writeHead(answer.statusCode ?? 502, passed);
        answer.pipe(response);
        answer.on('end', resolve);
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /**
   * A JSON-protocol call of the gate's own, to learn what a request is about (a task definition's roles, a secret's
   * ARN): moto routes it by the credential scope's service, so the scope is sent without a signature.
   */
  async json(service: string, target: string, input: object): Promise<Record<string, any> | undefined> {
    const response = await this.call(service, 'POST', '/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, JSON.stringify(input));
    return response.ok ? await response.json() as Record<string, any> : undefined;
  }

  /** A REST call of the gate's own; undefined when moto refuses it. */
  async rest(service: string, method: string, path: string): Promise<Record<string, any> | undefined> {
    const response = await this.call(service, method, path, {}, undefined);
    return response.ok ? await response.json() as Record<string, any> : undefined;
  }

  private call(service: string, method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    return fetch(new URL(path, this.url), {
      method,
      body,
      headers: {
        ...headers,
        'x-amz-date': date,
        'x-moto-account-id': this.accountId,
        'authorization': `AWS4-HMAC-SHA256 Credential=iam-gate/${date.slice(0, 8)}/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
    });
  }
}
