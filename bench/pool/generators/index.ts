import { BURSTY_DEFAULTS, burstyTrace } from './bursty';
import { ENTERPRISE_DEFAULTS, enterpriseTrace } from './enterprise';
import { STEADY_DEFAULTS, steadyTrace } from './steady';
import { WORKDAY_DEFAULTS, workdayTrace } from './workday';
import { shiftedCopies, WORKDAY_X50_DEFAULTS } from './workday-copies';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

export const TRACE_KINDS = ['workday', 'bursty', 'steady'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

/** A synthetic trace of `kind` with its default shape (see each generator), from `seed`. */
export function generateTrace(kind: TraceKind, seed: number): TraceDispatch[] {
  switch (kind) {
    case 'workday':
      return workdayTrace({ ...WORKDAY_DEFAULTS, seed });
    case 'bursty':
      return burstyTrace({ ...BURSTY_DEFAULTS, seed });
    case 'steady':
      return steadyTrace({ ...STEADY_DEFAULTS, seed });
  }
}

/** Traces too long to hold: generated as they are written. */
export const STREAMED_TRACE_KINDS = ['enterprise', 'workday-x50'] as const;
export type StreamedTraceKind = (typeof STREAMED_TRACE_KINDS)[number];

export interface StreamedTraceOptions {
  readonly seed: number;
  /** enterprise only. */
  readonly engineers?: number;
  /** enterprise only. @default 1 */
  readonly weeks?: number;
}

/** A long synthetic trace of `kind`, in time order, generated as it is read. */
export function streamTrace(kind: StreamedTraceKind, options: StreamedTraceOptions): Iterable<TraceDispatch> {
  switch (kind) {
    case 'enterprise':
      if (options.engineers === undefined) {
        throw new Error('the enterprise trace needs its number of engineers');
      }
      return enterpriseTrace({
        ...ENTERPRISE_DEFAULTS,
        seed: options.seed,
        engineers: options.engineers,
        weeks: options.weeks ?? ENTERPRISE_DEFAULTS.weeks,
      });
    case 'workday-x50':
      // The committed workday.csv is the workday trace of seed 1 (a test says so).
      return shiftedCopies(generateTrace('workday', 1), { ...WORKDAY_X50_DEFAULTS, seed: options.seed });
  }
}
