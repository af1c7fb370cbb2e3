import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { settleMessage } from './settle';

/** Voids the reservations of messages that will never reach a carrier (cancelled before submit). */
export async function release(db: Db, messageIds: string[]): Promise<number> {
  if (messageIds.length > 10_000) throw new InvalidArgumentError('at most 10,000 messages per release');
  return db.transaction(async (tx) => {
    let parts = 0;
    for (const id of messageIds) parts += await settleMessage(tx, id, 'void');
    return parts;
  });
}
