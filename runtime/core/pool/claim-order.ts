/**
 * The order in which a claimer tries a page of idle workers: the longest idle first, which is the one every
 * claimer takes when there is no contention; then the others in random order, so that the claimers who lost
 * that race spread over the rest of the page instead of all racing again for the next oldest.
 */
export function claimOrder<T>(page: readonly T[], random: () => number = Math.random): T[] {
  const [first, ...rest] = page;
  for (let index = rest.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [rest[index], rest[other]] = [rest[other], rest[index]];
  }
  return first === undefined ? [] : [first, ...rest];
}
