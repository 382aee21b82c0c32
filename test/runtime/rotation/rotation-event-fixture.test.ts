import { ROTATION_STEPS, rotationEventOf } from '../../../runtime/core/rotation/rotation-event';
import { shapeDifferences } from '../../support/documented-shape';
import { documentedRotationEvent, rotationEvent } from '../../support/rotation-events';

const { source, structure, steps } = documentedRotationEvent();
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:outpost/anthropic-AbCdEf';

describe('Secrets Manager rotation events: the ones the tests send are the documented ones', () => {
  test('the stored structure is the user guide\'s, RotationToken included; the steps are the ones AWS\'s template compares with', () => {
    expect(source).toBe('https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html');
    expect(Object.keys(structure)).toEqual(['Step', 'SecretId', 'ClientRequestToken', 'RotationToken']);
    expect(steps).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
  });

  test('the builder gives every documented field, each a string, for each step', () => {
    for (const step of steps) {
      const event = rotationEvent(SECRET, 'v2', step);
      expect(shapeDifferences(event, structure)).toEqual([]);
      expect(event).toMatchObject({ Step: step, SecretId: SECRET, ClientRequestToken: 'v2', RotationToken: expect.any(String) });
    }
    expect(() => rotationEvent(SECRET, 'v2', 'create_secret')).toThrow('Secrets Manager sends no Step create_secret');
  });

  test('the function takes every documented event and step, RotationToken and all, and knows no other step', () => {
    expect([...ROTATION_STEPS]).toEqual(steps);
    for (const step of steps) {
      expect(rotationEventOf(rotationEvent(SECRET, 'v2', step))).toEqual({ Step: step, SecretId: SECRET, ClientRequestToken: 'v2' });
    }
  });
});
