import type { Workspace } from '../../../runtime/core/workspaces/workspace';
import { ALICE } from '../dispatch/support/dispatches';

/** Alice's workspace `main`, held by a dispatch, without an access point yet. */
export const HELD_WORKSPACE: Workspace & { readonly inUseBy: string } = {
  requester: ALICE,
  name: 'main',
  generation: 'abcdefabcdef',
  uid: 20001,
  gid: 20001,
  rootDirectory: '/workspaces/20001/main.abcdefabcdef',
  createdAt: '2026-11-24T10:00:00.000Z',
  lastUsedAt: '2026-11-24T10:00:00.000Z',
  taskDefinitions: {},
  inUseBy: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D',
};
