/** Apply `each` to every item, at most `inFlight` at a time, in order; the results in the items' order. */
export async function inBatches<T, R>(items: readonly T[], inFlight: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += inFlight) {
    results.push(...await Promise.all(items.slice(start, start + inFlight).map(each)));
  }
  return results;
}
