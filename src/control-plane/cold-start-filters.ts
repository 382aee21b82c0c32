import * as lambda from 'aws-cdk-lib/aws-lambda';

const { isEqual, exists, notExists } = lambda.FilterRule;
const requested = { status: { S: isEqual('QUEUED') }, coldStartRequestedAt: { S: exists() } };

/**
 * The dispatches-table changes the starter acts on, as Lambda event filters on the table's stream (the runtime
 * reads records the same way: runtime/core/dispatch/cold-start-request.ts), so that it is not invoked for every
 * other change of a dispatch: a QUEUED dispatch created with `coldStartRequestedAt` (no warm worker to offer it
 * to), or given it later (every warm worker offered it declined), and one given `workspaceReadyAt` (the workspace
 * provisioner made its workspace's access point). Each filters on the record's `dynamodb` key alone: "DynamoDB
 * event source mappings only support filtering on the dynamodb key" (Lambda developer guide, "Using event
 * filtering with a DynamoDB event source"); the images tell an INSERT (no OldImage) from a MODIFY.
 */
export const COLD_START_REQUESTS: ReadonlyArray<Record<string, unknown>> = [
  // Created with it (an INSERT has no OldImage, which `notExists` accepts) or given it since.
  lambda.FilterCriteria.filter({ dynamodb: { NewImage: requested, OldImage: { coldStartRequestedAt: { S: notExists() } } } }),
  lambda.FilterCriteria.filter({
    dynamodb: { NewImage: { ...requested, workspaceReadyAt: { S: exists() } }, OldImage: { workspaceReadyAt: { S: notExists() } } },
  }),
];
