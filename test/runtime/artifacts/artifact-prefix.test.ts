import { artifactPrefix, isDispatchId } from '../../../runtime/core/artifacts/artifact-prefix';
import { newDispatchId } from '../../worker/support/ids';

describe('artifactPrefix', () => {
  test('artifacts/<dispatchId>/ for a ULID, as the worker requires its upload prefix to be', () => {
    const id = newDispatchId();
    expect(artifactPrefix(id)).toBe(`artifacts/${id}/`);
    expect(artifactPrefix('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe('artifacts/7ZZZZZZZZZZZZZZZZZZZZZZZZZ/');
  });

  test.each([
    ['lower case', '01jq8z6v3n4r5t7w9y1b3d5f7h'],
    ['25 characters', '01JQ8Z6V3N4R5T7W9Y1B3D5F7'],
    ['27 characters', '01JQ8Z6V3N4R5T7W9Y1B3D5F7HH'],
    ['a letter Crockford leaves out (U)', '01JQ8Z6V3N4R5T7W9Y1B3D5F7U'],
    ['a time past 48 bits (first character 8)', '81JQ8Z6V3N4R5T7W9Y1B3D5F7H'],
    ['a path that climbs out', '../01JQ8Z6V3N4R5T7W9Y1B3D5F'],
    ['an empty id, which would list every dispatch', ''],
  ])('refuses %s', (_, id) => {
    expect(isDispatchId(id)).toBe(false);
    expect(() => artifactPrefix(id)).toThrow(RangeError);
  });
});
