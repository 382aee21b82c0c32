import { generateKeyPairSync, sign } from 'crypto';
import { appJwtClaims, jwtSigningInput } from '../../../runtime/core/git/app-jwt';
import { accessTokenRequest, githubHeaders, installationIdOf, installationLookup, tokenOf, type GitHubRequest } from '../../../runtime/core/git/github-api';
import { kindOf, shapeDifferences } from '../../support/documented-shape';
import { documentedGitHub, FakeGitHub } from '../../support/fake-github';

const APP_ID = 123456;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const REPOSITORY = { owner: 'org', name: 'repo' };
const documented = documentedGitHub();
/** The permissions are named by the request, not by GitHub: their values are compared, not their names. */
const PERMISSIONS = { openMaps: ['permissions'] };

/** How a body departs from a documented error schema (an OpenAPI object schema of strings, integers and arrays). */
function schemaDifferences(body: Record<string, unknown>, schema: { properties: Record<string, { type: string }>; required?: string[] }): string[] {
  const kinds: Record<string, string> = { string: 'string', integer: 'number', array: 'array', object: 'object' };
  const missing = (schema.required ?? []).filter((key) => !(key in body)).map((key) => `${key}: required, absent`);
  const wrong = Object.entries(body).filter(([key, value]) => kinds[schema.properties[key]?.type] !== kindOf(value))
    .map(([key, value]) => `${key}: documented as ${schema.properties[key]?.type ?? 'no such property'}, got ${kindOf(value)}`);
  return [...missing, ...wrong];
}

describe('the fake GitHub answers as GitHub documents', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await FakeGitHub.start({ appId: APP_ID, publicKey, installations: { 'org/repo': 42 } });
  });
  afterAll(() => github.stop());

  /** The runtime's own request, signed as the runtime signs its JWT (or with a bad signature), and GitHub's answer. */
  async function send(request: GitHubRequest, signature = true): Promise<{ status: number; body: any }> {
    const input = jwtSigningInput(appJwtClaims(APP_ID, new Date()));
    const jwt = `${input}.${signature ? sign('sha256', Buffer.from(input), privateKey).toString('base64url') : 'AAAA'}`;
    const response = await fetch(request.url, { method: request.method, headers: githubHeaders(jwt), body: request.body });
    return { status: response.status, body: await response.json() };
  }

  test('the recorded examples are GitHub\'s OpenAPI description\'s, and the runtime reads them', () => {
    expect(documented.source).toMatch(/^@octokit\/openapi@23\.0\.2, generated\/api\.github\.com\.json/);
    expect(installationIdOf(documented.installation)).toBe(1);
    expect(tokenOf(documented.installationToken)).toBe('ghs_16C7e42F292c6912E7710c838347Ae178B4a');
    expect(documented.validationError.required).toEqual(['message', 'documentation_url']);
  });

  test('GET /repos/{owner}/{repo}/installation: the documented installation, with this installation\'s id', async () => {
    const { status, body } = await send(installationLookup(github.url, REPOSITORY));
    expect(status).toBe(200);
    expect(shapeDifferences(body, documented.installation, PERMISSIONS)).toEqual([]);
    expect(body).toMatchObject({ id: 42, app_id: APP_ID, account: { login: 'org' } });
    expect(installationIdOf(body)).toBe(42);
  });

  test('POST /app/installations/{id}/access_tokens: the documented token, for the repository asked for', async () => {
    const { status, body } = await send(accessTokenRequest(github.url, 42, REPOSITORY));
    expect(status).toBe(201);
    expect(shapeDifferences(body, documented.installationToken, PERMISSIONS)).toEqual([]);
    expect(body).toMatchObject({ permissions: { contents: 'write', metadata: 'read' }, repositories: [{ name: 'repo', full_name: 'org/repo', owner: { login: 'org' } }] });
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(tokenOf(body)).toBe(github.minted.at(-1)!.token);
  });

  test('its refusals have GitHub\'s documented error bodies: 404 and 401 a basic error, 422 a validation error', async () => {
    const notInstalled = await send(installationLookup(github.url, { owner: 'elsewhere', name: 'private' }));
    const badSignature = await send(installationLookup(github.url, REPOSITORY), false);
    const otherRepository = await send(accessTokenRequest(github.url, 42, { owner: 'org', name: 'not-there' }));
    expect([notInstalled.status, badSignature.status, otherRepository.status]).toEqual([404, 401, 422]);
    expect(schemaDifferences(notInstalled.body, documented.basicError)).toEqual([]);
    expect(schemaDifferences(badSignature.body, documented.basicError)).toEqual([]);
    expect(schemaDifferences(otherRepository.body, documented.validationError)).toEqual([]);
    expect(schemaDifferences({ message: 'x', errors: 'none' }, documented.validationError))
      .toEqual(['documentation_url: required, absent', 'errors: documented as array, got string']);
  });
});
