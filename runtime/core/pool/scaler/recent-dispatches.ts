import { decodeTime } from 'ulid';
import { DispatchStatus } from '../../dispatch/states';

/** What the scaler reads of one of the agent's dispatches. */
export interface RecentDispatch {
  readonly id: string;
  readonly status: DispatchStatus;
  /** Set when it started: on a pool worker (true) or on a task of its own (false). */
  readonly warm?: boolean;
  /** A persistent workspace's run always starts cold, so it is no demand the pool could serve. */
  readonly persistent: boolean;
}

/** The agent's demand, as the policy and the metrics see it. */
export interface DemandSummary {
  /** When each ephemeral dispatch created since the window opened arrived, epoch ms, oldest first. */
  readonly arrivals: number[];
  /** Of those that have started, how many started warm and how many cold. */
  readonly warmStarts: number;
  readonly coldStarts: number;
  /** Dispatches not yet started. */
  readonly queued: number;
  /** Dispatches waiting for a worker: QUEUED, or STARTING on a task of their own. */
  readonly waiting: number;
}

/** Sum up the dispatches read: those created from `from` (epoch ms) on count as demand; any waiting one counts as waiting. */
export function summarizeDemand(dispatches: readonly RecentDispatch[], from: number): DemandSummary {
  const recent = dispatches.filter((dispatch) => !dispatch.persistent && decodeTime(dispatch.id) >= from);
  const started = recent.filter((dispatch) => dispatch.warm !== undefined);
  const queued = dispatches.filter((dispatch) => dispatch.status === DispatchStatus.QUEUED).length;
  const startingCold = dispatches.filter((dispatch) => dispatch.status === DispatchStatus.STARTING && dispatch.warm === false).length;
  return {
    arrivals: recent.map((dispatch) => decodeTime(dispatch.id)).sort((a, b) => a - b),
    warmStarts: started.filter((dispatch) => dispatch.warm).length,
    coldStarts: started.filter((dispatch) => !dispatch.warm).length,
    queued,
    waiting: queued + startingCold,
  };
}
