import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A transaction's Put item. */
export type PutWrite = Required<Pick<TransactItem, 'Put'>>;
/** A transaction's Update item. */
export type UpdateWrite = Required<Pick<TransactItem, 'Update'>>;

/** The cancellation code of each item of a cancelled transaction, in order; empty for any other error. */
export function cancellationReasons(error: unknown): (string | undefined)[] {
  if (errorName(error) !== 'TransactionCanceledException') {
    return [];
  }
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
}

/** Read structurally: an SDK error need not be an instance of this realm's classes. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}
