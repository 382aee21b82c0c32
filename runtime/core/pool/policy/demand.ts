/** How many of `arrivals` (ascending, epoch ms) fall after `from`: a binary search, as the list can be long. */
export function arrivalsAfter(arrivals: readonly number[], from: number): number {
  let low = 0;
  let high = arrivals.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (arrivals[middle] <= from) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return arrivals.length - low;
}

/** Arrivals per second over the `windowSeconds` before `now`. */
export function arrivalRate(arrivals: readonly number[], now: number, windowSeconds: number): number {
  return arrivalsAfter(arrivals, now - windowSeconds * 1000) / windowSeconds;
}

/** The mean of the measured cold starts, or the assumed one before any was measured. */
export function meanColdStartSeconds(samples: readonly number[], assumedSeconds: number): number {
  return samples.length === 0 ? assumedSeconds : samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
}
