import { DispatchRoutes, type PageOptions } from './dispatch-routes';
import type { OutpostClientOptions } from './options';
import type { FleetHealth, DispatchPage, WorkspaceList } from './responses';
import { Transport } from './transport';
import type { DispatchView } from '../core/dispatch/dispatch';
import type { HealthReport } from '../core/health';

/**
 * The Outpost control-plane API, for the caller's own dispatches and workspaces. Every request is signed
 * with SigV4 (IAM authorization); an error answer throws {@link OutpostApiError}.
 *
 * ```ts
 * const outpost = new OutpostClient({ endpoint: process.env.OUTPOST_API! });
 * const run = await outpost.dispatch({ agent: 'claude', prompt: 'fix the failing test', repository: { url } });
 * for await (const line of outpost.followLogs(run.id)) console.log(line.message);
 * ```
 */
export class OutpostClient extends DispatchRoutes {
  constructor(options: OutpostClientOptions) {
    super(new Transport(options), '');
  }

  /** `GET /dispatch`: one page of the caller's dispatches, newest first. */
  public async listDispatches(options: PageOptions = {}): Promise<DispatchPage> {
    return this.listPage({ limit: options.limit, cursor: options.cursor });
  }

  /** Every one of the caller's dispatches, newest first, reading pages of `limit` as the iteration goes. */
  public allDispatches(options: Pick<PageOptions, 'limit'> = {}): AsyncGenerator<DispatchView> {
    return this.eachDispatch({ limit: options.limit });
  }

  /** `GET /health`: whether the platform can take dispatches; an unhealthy platform (503) is answered too. */
  public async health(): Promise<HealthReport> {
    return this.transport.call({ method: 'GET', path: '/health', accept: [503] });
  }

  /** `GET /health/fleet`: each agent's idle, starting and busy workers, and its queue. */
  public async fleetHealth(): Promise<FleetHealth> {
    return this.transport.call({ method: 'GET', path: '/health/fleet' });
  }

  /** `GET /workspaces`: the caller's persistent workspaces. */
  public async listWorkspaces(): Promise<WorkspaceList> {
    return this.transport.call({ method: 'GET', path: '/workspaces' });
  }

  /** `DELETE /workspaces/{name}`: delete one of the caller's persistent workspaces and its files. */
  public async deleteWorkspace(name: string): Promise<void> {
    await this.transport.call({ method: 'DELETE', path: `/workspaces/${encodeURIComponent(name)}` });
  }
}
