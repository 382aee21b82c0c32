import * as lambda from 'aws-cdk-lib/aws-lambda';

const { exists, notExists } = lambda.FilterRule;

/**
 * The workspaces-table changes the workspace provisioner acts on, as Lambda event filters on the table's stream:
 * a workspace held by a dispatch, with an access point requested and none made, not being deleted, judged on the
 * record's `dynamodb` key alone (the only key Lambda filters DynamoDB records on: see cold-start-filters.ts).
 * The runtime checks each record further (runtime/core/workspaces/awaiting-access-point.ts): only a request just
 * made counts, not another change of a workspace whose request is pending.
 */
export const ACCESS_POINT_REQUESTS: ReadonlyArray<Record<string, unknown>> = [
  lambda.FilterCriteria.filter({
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
