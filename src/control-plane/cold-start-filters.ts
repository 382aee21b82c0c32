import * as lambda from 'aws-cdk-lib/aws-lambda';

const { isEqual, exists, notExists } = lambda.FilterRule;
const requested = { status: { S: isEqual('QUEUED') }, coldStartRequestedAt: { S: exists() } };

/**
 * The dispatches-table changes the starter acts on, as Lambda event filters on the table's stream (the runtime
 * reads records the same way: runtime/core/dispatch/cold-start-request.ts), so that it is not invoked for every
 * other change of a dispatch: a QUEUED dispatch created with `coldStartRequestedAt` (no warm worker to offer it
 * to), or given it later (every warm worker offered it declined), and one given `workspaceReadyAt` (the workspace
 * provisioner made its workspace's access point).
 */
export const COLD_START_REQUESTS: ReadonlyArray<Record<string, unknown>> = [
  lambda.FilterCriteria.filter({ eventName: isEqual('INSERT'), dynamodb: { NewImage: requested } }),
  lambda.FilterCriteria.filter({ eventName: isEqual('MODIFY'), dynamodb: { NewImage: requested, OldImage: { coldStartRequestedAt: { S: notExists() } } } }),
  lambda.FilterCriteria.filter({
    eventName: isEqual('MODIFY'),
    dynamodb: { NewImage: { ...requested, workspaceReadyAt: { S: exists() } }, OldImage: { workspaceReadyAt: { S: notExists() } } },
  }),
];
