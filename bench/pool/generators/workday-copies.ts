import { seededStream } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

export interface CopiesOptions {
  readonly seed: number;
  readonly copies: number;
  /** Each copy is shifted by a whole number of seconds drawn uniformly from −this to +this. */
  readonly shiftSeconds: number;
}

/** Issue 18's scale case: workday.csv copied 50 times, each copy shifted by up to ±30 minutes (500 engineers, 66,400 dispatches). */
export const WORKDAY_X50_DEFAULTS: Omit<CopiesOptions, 'seed'> = { copies: 50, shiftSeconds: 30 * 60 };

/**
 * `copies` copies of `base` (in time order), each shifted by its own random offset, merged in time order (a
 * dispatch of an earlier copy first at the same time). Held: the base and one pointer a copy.
 */
export function* shiftedCopies(base: readonly TraceDispatch[], options: CopiesOptions): Generator<TraceDispatch> {
  const random = seededStream(options.seed, 'copies');
  const shifts = Array.from({ length: options.copies }, () => (Math.floor(random() * (2 * options.shiftSeconds + 1)) - options.shiftSeconds) * 1000);
  const next = new Array<number>(options.copies).fill(0);
  for (;;) {
    let copy = -1;
    for (let candidate = 0; candidate < options.copies; candidate++) {
      const position = next[candidate];
      if (position < base.length && (copy < 0 || base[position].at + shifts[candidate] < base[next[copy]].at + shifts[copy])) {
        copy = candidate;
      }
    }
    if (copy < 0) {
      return;
    }
    const dispatch = base[next[copy]++];
    yield { ...dispatch, at: dispatch.at + shifts[copy] };
  }
}
