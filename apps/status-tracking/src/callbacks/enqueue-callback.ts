import type { Tx } from '@sabia/db';
import { v7 as uuidv7 } from 'uuid';
import { callbacks, type messageStatus } from '../db';
import { statusCallbackPayload, type CallbackType } from './callback-payload';

/**
 * Owes the customer a callback for this status change, in the caller's transaction: the change
 * and the promise to report it commit together. Messages without a callback URL owe nothing.
 */
export async function enqueueStatusCallback(tx: Tx, type: CallbackType, row: typeof messageStatus.$inferSelect, at: Date): Promise<void> {
  if (!row.callbackUrl) return;
  await tx.insert(callbacks).values({
    id: uuidv7(),
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    messageId: row.messageId,
    type,
    url: row.callbackUrl,
    payload: statusCallbackPayload(type, row, at),
  });
}
