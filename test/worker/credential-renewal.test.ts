import { buildAssignment } from '../../runtime/core/handoff/assignment';
import type { RenewedCredentials } from '../../runtime/core/handoff/worker-credentials';
import { publishingCredentials, type CredentialRenewal } from '../../runtime/worker/credential-renewal';
import { Logger } from '../../runtime/worker/logger';
import { Redactor } from '../../runtime/worker/redactor';

const DISPATCH_ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const OWN_UPLOAD = { url: 'https://bucket.s3.us-east-1.amazonaws.com', fields: { Policy: 'own' }, keyPrefix: `artifacts/${DISPATCH_ID}/` };
const ASSIGNMENT = buildAssignment({
  id: DISPATCH_ID,
  agent: 'claude',
  model: 'claude-sonnet-4-5',
  prompt: 'p',
  repository: { url: 'https://git.example.com:8443/acme/app.git', baseBranch: 'main' },
  workspace: { kind: 'ephemeral' },
  timeoutSeconds: 600,
}, OWN_UPLOAD, { token: 'ghs_assignment' });

/** publishingCredentials with a renewal that answers `renewed` (or throws it), and what it logged. */
async function publishWith(renewed: RenewedCredentials | Error | undefined) {
  const lines: string[] = [];
  const redactor = new Redactor();
  const logger = new Logger(redactor, DISPATCH_ID, (line) => lines.push(line));
  const renewal: CredentialRenewal | undefined = renewed === undefined ? undefined : {
    renew: async () => {
      if (renewed instanceof Error) {
        throw renewed;
      }
      return renewed;
    },
  };
  const credentials = await publishingCredentials(ASSIGNMENT, renewal, logger, redactor);
  return { credentials, logged: lines.map((line) => JSON.parse(line)), redactor };
}

describe('publishingCredentials', () => {
  test('renewed: the fresh token for the repository\'s host alone, the fresh policy, and the token masked from then on', async () => {
    const fresh = { url: OWN_UPLOAD.url, fields: { Policy: 'fresh' }, keyPrefix: OWN_UPLOAD.keyPrefix };
    const { credentials, logged, redactor } = await publishWith({ upload: fresh, git: { username: 'x-access-token', token: 'ghs_renewed' } });
    expect(credentials).toEqual({ upload: fresh, git: { username: 'x-access-token', token: 'ghs_renewed', host: 'git.example.com:8443' } });
    expect(redactor.redact('token ghs_renewed')).not.toContain('ghs_renewed');
    expect(logged).toEqual([expect.objectContaining({ level: 'info', step: 'credentials', message: 'renewed', git: true })]);
  });

  test('an answer with a policy for another dispatch\'s prefix is not used: the assignment\'s credentials are', async () => {
    const { credentials, logged } = await publishWith({ upload: { ...OWN_UPLOAD, keyPrefix: 'artifacts/01JD3V4N6Q8W2X5Y7Z9A1B3C4E/' } });
    expect(credentials).toEqual({ upload: OWN_UPLOAD, git: { username: 'x-access-token', token: 'ghs_assignment', host: 'git.example.com:8443' } });
    expect(logged).toEqual([expect.objectContaining({ level: 'warn', error: expect.stringContaining('answered an upload policy for artifacts/01JD3V4N6Q8W2X5Y7Z9A1B3C4E/') })]);
  });

  test('no git credential renewed (the repository needs none now): the assignment\'s stays for the push', async () => {
    const { credentials } = await publishWith({ upload: OWN_UPLOAD });
    expect(credentials.git).toEqual({ username: 'x-access-token', token: 'ghs_assignment', host: 'git.example.com:8443' });
  });

  test('a failed renewal, or none configured: the assignment\'s credentials, and the reason logged', async () => {
    const failed = await publishWith(new Error('refused (403 WrongToken, token): is not the assignment token'));
    expect(failed.credentials.upload).toBe(OWN_UPLOAD);
    expect(failed.logged).toEqual([expect.objectContaining({ level: 'warn', error: 'refused (403 WrongToken, token): is not the assignment token' })]);
    const none = await publishWith(undefined);
    expect(none.credentials.upload).toBe(OWN_UPLOAD);
    expect(none.logged).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('OUTPOST_CREDENTIALS_FUNCTION is not set') })]);
  });
});
