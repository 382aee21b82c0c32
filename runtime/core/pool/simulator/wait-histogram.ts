/** Bucket `i` holds waits in [SMALLEST × GROWTH^i, SMALLEST × GROWTH^(i+1)): each bucket 0.1% wide. */
const GROWTH = 1.001;
const SMALLEST_SECONDS = 0.001;
/** Eleven days: far beyond any wait RunTask's retries and a cold start can make. */
const LARGEST_SECONDS = 1e6;
const LOG_GROWTH = Math.log(GROWTH);
/** Bucket 0 takes every wait under SMALLEST_SECONDS (0 included); the last every wait from LARGEST_SECONDS up. */
const BUCKETS = Math.ceil(Math.log(LARGEST_SECONDS / SMALLEST_SECONDS) / LOG_GROWTH) + 2;

/** The relative error of {@link WaitHistogram.percentile}: a bucket's width. */
export const WAIT_PERCENTILE_RELATIVE_ERROR = GROWTH - 1;

/**
 * Waits, as counts in log-spaced buckets: a fixed size (about 20,000 buckets, 0.5 MB) however many waits it
 * holds. Each bucket also keeps the least and the greatest wait it holds, so a percentile that falls on a
 * bucket's first or last wait is exact (a trace's warm waits, all exactly the hand-off, among them), and any
 * other is within the bucket's width of the true nearest-rank value: 0.1%.
 */
export class WaitHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly least = new Float64Array(BUCKETS).fill(Infinity);
  private readonly greatest = new Float64Array(BUCKETS).fill(-Infinity);
  private total = 0;

  public get size(): number {
    return this.total;
  }

  public add(seconds: number): void {
    const bucket = bucketOf(seconds);
    this.counts[bucket] += 1;
    if (seconds < this.least[bucket]) {
      this.least[bucket] = seconds;
    }
    if (seconds > this.greatest[bucket]) {
      this.greatest[bucket] = seconds;
    }
    this.total += 1;
  }

  /**
   * The nearest-rank percentile (as {@link percentile} of the sorted waits gives it), within 0.1%: the
   * bucket holding that rank, read between its least and greatest wait by the rank's place in it. 0 when
   * there are no waits.
   */
  public percentile(fraction: number): number {
    if (this.total === 0) {
      return 0;
    }
    const rank = Math.min(this.total, Math.max(1, Math.ceil(fraction * this.total)));
    let below = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.counts[bucket];
      if (below + count >= rank) {
        const place = rank - below;
        if (place === count) {
          return this.greatest[bucket];
        }
        const share = count === 1 ? 0 : (place - 1) / (count - 1);
        return this.least[bucket] + share * (this.greatest[bucket] - this.least[bucket]);
      }
      below += count;
    }
    throw new Error(`no wait of rank ${rank} among ${this.total}`);
  }
}

function bucketOf(seconds: number): number {
  if (!(seconds >= SMALLEST_SECONDS)) {
    return 0;
  }
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(seconds / SMALLEST_SECONDS) / LOG_GROWTH));
}
