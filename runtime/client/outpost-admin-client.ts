import { DispatchRoutes, type PageOptions } from './dispatch-routes';
import type { OutpostClientOptions } from './options';
import type { DispatchPage } from './responses';
import { Transport } from './transport';
import type { DispatchView } from '../core/dispatch/dispatch';

/**
 * The `/admin/...` routes: the same operations on every caller's dispatches. Only principals given
 * `grantAdmin` may call them; anyone else is refused with 403.
 */
export class OutpostAdminClient extends DispatchRoutes {
  constructor(options: OutpostClientOptions) {
    super(new Transport(options), '/admin');
  }

  /**
   * `GET /admin/dispatch?requester=`: one page of one caller's dispatches, newest first.
   * @param requester their IAM principal ARN (as `sts get-caller-identity` names it) or `jwt:<issuer>#<sub>`
   */
  public async listDispatches(requester: string, options: PageOptions = {}): Promise<DispatchPage> {
    return this.listPage({ requester, limit: options.limit, cursor: options.cursor });
  }

  /** Every one of a caller's dispatches, newest first. */
  public allDispatches(requester: string, options: Pick<PageOptions, 'limit'> = {}): AsyncGenerator<DispatchView> {
    return this.eachDispatch({ requester, limit: options.limit });
  }
}
