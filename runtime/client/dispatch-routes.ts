import { randomUUID } from 'node:crypto';
import type { DispatchInput } from './dispatch-input';
import { eachItem, followLines, type FollowOptions } from './iterate';
import type { DispatchArtifacts, DispatchLogs, DispatchPage } from './responses';
import type { Query, Transport } from './transport';
import type { DispatchView } from '../core/dispatch/dispatch';
import type { LedgerQuery } from '../core/ledger/query';
import type { LedgerReport } from '../core/ledger/totals';
import type { LogLine } from '../core/logs/log-page';

/** One page of a listing. */
export interface PageOptions {
  /** 1 to 100. @default 25 */
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
}

/** `GET /ledger`'s query: UTC days, both included, at most 366 apart. */
export type LedgerQueryInput = Omit<LedgerQuery, 'groupBy'> & Partial<Pick<LedgerQuery, 'groupBy'>>;

export interface LogsOptions {
  /** The `cursor` of the previous read: only lines after it. */
  readonly cursor?: string;
  /** 1 to 1000. @default 200 */
  readonly limit?: number;
}

/**
 * The dispatch routes, which the API serves twice: for the caller's own dispatches, and under `/admin` for
 * everyone's. {@link OutpostClient} and {@link OutpostAdminClient} differ only in the prefix and in listing.
 */
export abstract class DispatchRoutes {
  protected constructor(protected readonly transport: Transport, private readonly prefix: '' | '/admin') {}

  /** `POST /dispatch`: record the dispatch and start it; answers at once, usually RUNNING (warm) or STARTING (cold). */
  public async dispatch(input: DispatchInput): Promise<DispatchView> {
    // A key of its own makes the call safe to retry: an attempt whose answer was lost cannot start a second run.
    const body: DispatchInput = { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() };
    return this.transport.call({ method: 'POST', path: `${this.prefix}/dispatch`, body });
  }

  /**
   * `GET /dispatch/{id}`: status, timestamps, model, exit code, error, result summary (`result.modelUsage`: the
   * tokens of each model that ran) and, once the ledger has priced it, cost (`cost.models`: by model).
   */
  public async getDispatch(id: string): Promise<DispatchView> {
    return this.transport.call({ method: 'GET', path: this.dispatchPath(id) });
  }

  /** `DELETE /dispatch/{id}`: cancel; a dispatch already final is answered as it is. */
  public async cancel(id: string): Promise<DispatchView> {
    return this.transport.call({ method: 'DELETE', path: this.dispatchPath(id) });
  }

  /** `GET /dispatch/{id}/logs`: one read of the run's log lines. */
  public async getLogs(id: string, options: LogsOptions = {}): Promise<DispatchLogs> {
    return this.transport.call({ method: 'GET', path: `${this.dispatchPath(id)}/logs`, query: { cursor: options.cursor, limit: options.limit } });
  }

  /** Every log line of the run, as it arrives, until the dispatch is final. */
  public followLogs(id: string, options: FollowOptions = {}): AsyncGenerator<LogLine> {
    return followLines((cursor) => this.getLogs(id, { cursor, limit: options.limit }), options);
  }

  /** `GET /artifacts/{id}`: presigned links to the run's files, and its result.json. */
  public async getArtifacts(id: string): Promise<DispatchArtifacts> {
    return this.transport.call({ method: 'GET', path: `${this.prefix}/artifacts/${encodeURIComponent(id)}` });
  }

  /**
   * `GET /ledger`: what dispatches cost from `from` to `to`, grouped by day (the default), agent or requester: the
   * caller's own, or with the admin client everyone's.
   */
  public async ledger(query: LedgerQueryInput): Promise<LedgerReport> {
    return this.transport.call({ method: 'GET', path: `${this.prefix}/ledger`, query: { ...query } });
  }

  protected async listPage(query: Query): Promise<DispatchPage> {
    return this.transport.call({ method: 'GET', path: `${this.prefix}/dispatch`, query });
  }

  protected eachDispatch(query: Query): AsyncGenerator<DispatchView> {
    return eachItem((cursor) => this.listPage({ ...query, cursor }));
  }

  /** Encoded, so that an id can only ever name a dispatch, never another route. */
  private dispatchPath(id: string): string {
    return `${this.prefix}/dispatch/${encodeURIComponent(id)}`;
  }
}
