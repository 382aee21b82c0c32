import { failed, keyNeeded, rotated } from '../../../runtime/core/rotation/notifications';
import { keyCheckRequest, keyCheckVerdict, keyFormatProblem } from '../../../runtime/core/rotation/providers/key-checks';
import { createdKey, findOnPage, listServiceAccounts } from '../../../runtime/core/rotation/providers/openai-service-accounts';
import { rotationEventOf } from '../../../runtime/core/rotation/rotation-event';
import { planStep, RotationRefused, type SecretState } from '../../../runtime/core/rotation/rotation-plan';

const rotating: SecretState = { rotationEnabled: true, versions: { old: ['AWSPREVIOUS'], live: ['AWSCURRENT'], next: ['AWSPENDING'] } };

describe('planStep: the rotation contract from the secret\'s stages', () => {
  test.each(['createSecret', 'setSecret', 'testSecret'] as const)('%s runs for a version staged AWSPENDING', (step) => {
    expect(planStep(rotating, 'next', step)).toEqual({ kind: step.replace('Secret', '') });
  });

  test('finishSecret moves AWSCURRENT from the current version and retires the one that was AWSPREVIOUS', () => {
    expect(planStep(rotating, 'next', 'finishSecret')).toEqual({ kind: 'finish', current: 'live', retiring: 'old' });
    expect(planStep({ rotationEnabled: true, versions: { live: ['AWSCURRENT'], next: ['AWSPENDING'] } }, 'next', 'finishSecret'))
      .toEqual({ kind: 'finish', current: 'live' });
  });

  test.each(['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)('%s has nothing to do once the version is AWSCURRENT', (step) => {
    expect(planStep({ rotationEnabled: true, versions: { next: ['AWSCURRENT', 'AWSPENDING'], live: ['AWSPREVIOUS'] } }, 'next', step)).toEqual({ kind: 'done' });
  });

  test('refuses a secret without rotation, an unknown version, and one not AWSPENDING', () => {
    expect(() => planStep({ ...rotating, rotationEnabled: false }, 'next', 'createSecret')).toThrow(new RotationRefused('Rotation is not enabled on the secret'));
    expect(() => planStep(rotating, 'other', 'createSecret')).toThrow('Version other has no stage for rotation of the secret');
    expect(() => planStep(rotating, 'old', 'testSecret')).toThrow('Version old is not staged AWSPENDING for rotation of the secret');
  });

  test('refuses to finish when no version is AWSCURRENT', () => {
    expect(() => planStep({ rotationEnabled: true, versions: { next: ['AWSPENDING'] } }, 'next', 'finishSecret')).toThrow(/No version of the secret is AWSCURRENT/);
  });
});

describe('rotationEventOf', () => {
  test('accepts the event Secrets Manager sends and rejects anything else', () => {
    const event = { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:s', ClientRequestToken: 't', Step: 'setSecret' };
    expect(rotationEventOf({ ...event, RotationToken: 'ignored' })).toEqual(event);
    expect(() => rotationEventOf({ ...event, Step: 'set_secret' })).toThrow(/Not a Secrets Manager rotation event.*Step/s);
    expect(() => rotationEventOf({ SecretId: 's' })).toThrow(/ClientRequestToken/);
  });
});

describe('key checks', () => {
  test('each provider\'s cheapest authenticated read, with the key where the provider reads it', () => {
    expect(keyCheckRequest('anthropic', 'k')).toEqual({ url: 'https://api.anthropic.com/v1/models', headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });
    expect(keyCheckRequest('openai', 'k')).toEqual({ url: 'https://api.openai.com/v1/models', headers: { authorization: 'Bearer k' } });
    expect(keyCheckRequest('google', 'k')).toEqual({ url: 'https://generativelanguage.googleapis.com/v1beta/models', headers: { 'x-goog-api-key': 'k' } });
    expect(keyCheckRequest('xai', 'k', 'http://127.0.0.1:1')).toEqual({ url: 'http://127.0.0.1:1/v1/models', headers: { authorization: 'Bearer k' } });
  });

  test('a key of another provider, or with white space, is no key', () => {
    expect(keyFormatProblem('anthropic', 'sk-ant-api03-x')).toBeUndefined();
    expect(keyFormatProblem('google', 'AIzaSyx')).toBeUndefined();
    expect(keyFormatProblem('xai', 'xai-x')).toBeUndefined();
    expect(keyFormatProblem('openai', 'sk-proj-x')).toBeUndefined();
    expect(keyFormatProblem('anthropic', 'sk-proj-x')).toBe('anthropic API keys start with "sk-ant-"');
    expect(keyFormatProblem('openai', 'sk-proj-x\n')).toMatch(/white space/);
  });

  test('only 2xx accepts a key; 401 and 403 refuse it; anything else says nothing', () => {
    expect([200, 204, 401, 403, 429, 500].map(keyCheckVerdict)).toEqual(['accepted', 'accepted', 'refused', 'refused', 'unknown', 'unknown']);
  });
});

describe('OpenAI Admin API requests', () => {
  test('lists a project\'s service accounts a hundred at a time, from a cursor', () => {
    expect(listServiceAccounts('https://api.openai.com', 'proj_1', 'svc_9')).toEqual({
      method: 'GET', url: 'https://api.openai.com/v1/organization/projects/proj_1/service_accounts?limit=100&after=svc_9',
    });
  });

  test('finds an account by name on a page, and where the next page starts', () => {
    expect(findOnPage({ data: [{ id: 'a', name: 'outpost-t' }], has_more: false, last_id: 'a' }, 'outpost-t')).toEqual({ id: 'a' });
    expect(findOnPage({ data: [{ id: 'a', name: 'other' }], has_more: true, last_id: 'a' }, 'outpost-t')).toEqual({ next: 'a' });
    expect(() => findOnPage({ data: 'nope' }, 'outpost-t')).toThrow();
  });

  test('takes the new account\'s key from the answer, and nothing without one', () => {
    expect(createdKey({ id: 'a', api_key: { value: 'sk-svcacct-1' } })).toBe('sk-svcacct-1');
    expect(() => createdKey({ id: 'a', api_key: null })).toThrow();
  });
});

describe('notifications', () => {
  const context = { provider: 'xai' as const, secretId: 'arn:s', token: 'tok' };

  test('subjects fit SNS (at most 100 characters)', () => {
    for (const notification of [keyNeeded(context, 'xai-abcd'), rotated(context), failed(context, 'testSecret', new Error('no'))]) {
      expect(notification.subject.length).toBeLessThanOrEqual(100);
    }
  });

  test('a failure without a known provider says so', () => {
    expect(failed({ secretId: 'arn:s', token: 'tok' }, 'createSecret', new Error('boom'))).toMatchObject({
      event: 'failed', provider: 'unknown', message: expect.stringContaining('The createSecret step of rotating arn:s (version tok) failed: boom'),
    });
  });
});
