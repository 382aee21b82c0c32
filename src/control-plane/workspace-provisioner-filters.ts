import * as lambda from 'aws-cdk-lib/aws-lambda';

const { isEqual, exists, notExists } = lambda.FilterRule;

/**
 * The workspaces-table changes the workspace provisioner acts on, as Lambda event filters on the table's stream:
 * a workspace held by a dispatch, with an access point requested and none made, not being deleted. The runtime
 * checks each record further (runtime/core/workspaces/awaiting-access-point.ts): only a request just made counts,
 * not another change of a workspace whose request is pending.
 */
export const ACCESS_POINT_REQUESTS: ReadonlyArray<Record<string, unknown>> = [
  lambda.FilterCriteria.filter({
    eventName: isEqual('MODIFY'),
    dynamodb: {
      NewImage: {
        accessPointRequestedAt: { S: exists() },
        accessPointId: { S: notExists() },
        inUseBy: { S: exists() },
        deleting: { S: notExists() },
      },
    },
  }),
];
