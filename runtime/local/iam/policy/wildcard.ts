/**
 * IAM's wildcard match: `*` any run of characters, `?` any one; everything else literal. Actions match
 * without regard to case, resources and condition values with it.
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
