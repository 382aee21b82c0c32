import { ecrImageReference, secretReadiness } from '../../../runtime/core/fleet-readiness';

const ID = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:outpost-anthropic-AbCdEf';
const state = (versions: Record<string, string[]>, rotationEnabled = false) => ({ versions, rotationEnabled });

describe('secretReadiness', () => {
  test('the platform\'s secret: the placeholder alone is no key; a put leaves it AWSPREVIOUS, and then there is one', () => {
    expect(secretReadiness(ID, ['claude'], state({ v1: ['AWSCURRENT'] }), true)).toMatchObject({ filled: false, pendingVersionId: null });
    expect(secretReadiness(ID, ['claude'], state({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] }), true)).toMatchObject({ filled: true, detail: '2 versions' });
  });

  test('a secret the user brought holds a key as soon as it has an AWSCURRENT version; none without one', () => {
    expect(secretReadiness(ID, ['claude'], state({ v1: ['AWSCURRENT'] }), false).filled).toBe(true);
    // CreateSecret without a value makes a secret with no version (Secrets Manager API reference, CreateSecret).
    expect(secretReadiness(ID, ['claude'], state({}), false)).toMatchObject({ filled: false, detail: 'no AWSCURRENT version' });
  });

  test('AWSPENDING on another version than AWSCURRENT\'s is a pending rotation, with or without rotation enabled', () => {
    const versions = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'], v3: ['AWSPENDING'] };
    expect(secretReadiness(ID, ['claude'], state(versions), true).pendingVersionId).toBe('v3');
    expect(secretReadiness(ID, ['claude'], state(versions, true), true)).toMatchObject({ pendingVersionId: 'v3', detail: '3 versions, v3 staged AWSPENDING' });
  });

  test('AWSPENDING on the current version blocks only where rotation is enabled', () => {
    const versions = { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT', 'AWSPENDING'] };
    expect(secretReadiness(ID, ['claude'], state(versions, false), true).pendingVersionId).toBeNull();
    expect(secretReadiness(ID, ['claude'], state(versions, true), true).pendingVersionId).toBe('v2');
  });
});

describe('ecrImageReference', () => {
  test('a tag, a digest, or neither (latest), in nested repository names', () => {
    expect(ecrImageReference('111122223333.dkr.ecr.eu-west-1.amazonaws.com/outpost/claude:3f2a')).toEqual({
      registryId: '111122223333', region: 'eu-west-1', repositoryName: 'outpost/claude', imageTag: '3f2a',
    });
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(ecrImageReference(`111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/claude@${digest}`)).toMatchObject({ region: 'cn-north-1', imageDigest: digest });
    expect(ecrImageReference('111122223333.dkr.ecr.us-east-1.amazonaws.com/claude')).toMatchObject({ imageTag: 'latest' });
  });

  test('images of other registries are not ECR\'s', () => {
    for (const image of ['ghcr.io/acme/outpost-claude:1.4.0', 'public.ecr.aws/acme/claude:1', 'example/codex:1']) {
      expect(ecrImageReference(image)).toBeUndefined();
    }
  });
});
