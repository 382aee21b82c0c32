import * as https from 'https';
import { GIT_HOSTNAME, GitServer } from '../../runtime/local/kit/git-server';

const TOKEN = 'ghs_gitServerTestToken0123456789';

describe('the conformance git server', () => {
  let server: GitServer;

  beforeAll(async () => {
    server = await GitServer.start(TOKEN);
    server.createRepository('org/fixture', { 'a.txt': 'seed\n' });
  });
  afterAll(() => server.stop());

  /** GET info/refs for a clone, trusting only the server's own CA and checking its name. */
  function infoRefs(authorization?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      https.get({
        host: '127.0.0.1',
        port: server.port,
        servername: GIT_HOSTNAME,
        ca: server.caCertificate,
        path: '/org/fixture.git/info/refs?service=git-upload-pack',
        headers: { ...(authorization && { authorization }), host: GIT_HOSTNAME },
      }, (response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  }

  test('serves git smart HTTP over TLS its CA vouches for, to the token only (Basic password or Bearer)', async () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await infoRefs()).status).toBe(401);
    expect((await infoRefs(basic('x-access-token', 'wrong'))).status).toBe(401);
    expect((await infoRefs('Bearer wrong')).status).toBe(401);
    const byBasic = await infoRefs(basic('x-access-token', TOKEN));
    expect(byBasic.status).toBe(200);
    expect(byBasic.body).toContain('# service=git-upload-pack');
    expect(byBasic.body).toContain('refs/heads/main');
    expect((await infoRefs(`Bearer ${TOKEN}`)).status).toBe(200);
    expect(server.unauthorized).toBe(3);
  });

  test('reads a branch\'s commit and files; a branch that is not there is undefined', async () => {
    expect(await server.commit('org/fixture', 'main')).toMatchObject({ branch: 'main', files: { 'a.txt': 'seed\n' }, parent: null, subject: 'Seed' });
    expect(await server.commit('org/fixture', 'outpost/none')).toBeUndefined();
  });
});
