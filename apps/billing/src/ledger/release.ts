import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { settleMessages } from './settle';

/**
 * Voids the reservations of messages that will never reach a carrier: cancelled before submit,
 * or reserved ahead and never taken by a message. No incident spared them anything, so no void
 * is put down to one. One settlement for all of them.
 */
export async function release(db: Db, messageIds: string[]): Promise<number> {
  if (messageIds.length > 10_000) throw new InvalidArgumentError('at most 10,000 messages per release');
  return db.transaction((tx) => settleMessages(tx, new Map(messageIds.map((id) => [id, 'void' as const])), { released: true }));
}
