/**
 * A canonical ULID, as dispatch ids are minted: 26 upper-case Crockford base32 characters, the first at
 * most 7 (a 48-bit time). The worker accepts no other form, so neither does anything that names its files.
 */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function isDispatchId(value: string): boolean {
  return ULID.test(value);
}

/**
 * Where a dispatch's artifacts live: `artifacts/<dispatchId>/`. The id is checked because the prefix
 * scopes an upload policy and a listing: a malformed id must never widen either to another dispatch.
 */
export function artifactPrefix(dispatchId: string): string {
  if (!isDispatchId(dispatchId)) {
    throw new RangeError(`not a dispatch id (a canonical ULID): ${JSON.stringify(dispatchId)}`);
  }
  return `artifacts/${dispatchId}/`;
}
