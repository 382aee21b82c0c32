import * as lambda from 'aws-cdk-lib/aws-lambda';

const { isEqual, notExists, or } = lambda.FilterRule;
const state = (...states: string[]) => ({ state: { S: states.length === 1 ? isEqual(states[0]) : or(...states) } });

/**
 * The pool-table changes that call for a scaler run, as Lambda event filters on the table's stream (the
 * runtime reads them the same way: runtime/core/pool/scaler/pool-stream.ts), so that the scaler is not invoked
 * for the rest (a worker accepting its dispatch, the scaler's own writes):
 * - a cold start registered a RESERVED worker: a dispatch found no idle worker;
 * - IDLE → RESERVED: a dispatch claimed a worker;
 * - STARTING or RESERVED → IDLE: a worker became healthy, or a hand-off gave it back;
 * - a STARTING or IDLE worker's item removed: its task stopped.
 *
 * Each judges the record's `dynamodb` key alone, the only key Lambda filters DynamoDB records on ("Using event
 * filtering with a DynamoDB event source"): a created item has no OldImage and a removed one no NewImage, which
 * `notExists` accepts.
 */
export const POOL_CHANGE_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  lambda.FilterCriteria.filter({ dynamodb: { OldImage: { state: { S: notExists() } }, NewImage: state('RESERVED') } }),
  lambda.FilterCriteria.filter({ dynamodb: { OldImage: state('IDLE'), NewImage: state('RESERVED') } }),
  lambda.FilterCriteria.filter({ dynamodb: { OldImage: state('STARTING', 'RESERVED'), NewImage: state('IDLE') } }),
  lambda.FilterCriteria.filter({ dynamodb: { OldImage: state('STARTING', 'IDLE'), NewImage: { state: { S: notExists() } } } }),
];
