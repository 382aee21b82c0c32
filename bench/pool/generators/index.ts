import { BURSTY_DEFAULTS, burstyTrace } from './bursty';
import { STEADY_DEFAULTS, steadyTrace } from './steady';
import { WORKDAY_DEFAULTS, workdayTrace } from './workday';
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
