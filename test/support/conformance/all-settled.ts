/**
 * Promise.all that lets every run finish (and clean up its sandbox) before it reports the first failure: a suite
 * that starts its conformance runs at once must not leave one running when another fails.
 */
export async function allSettled<T>(runs: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}
