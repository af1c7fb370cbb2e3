import type { Tx } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { callbacks, type messageStatus } from '../db';
import { statusCallbackPayload, type CallbackType } from './callback-payload';

export interface OwedCallback {
  type: CallbackType;
  row: typeof messageStatus.$inferSelect;
  at: Date;
}

/**
 * Owes the customer callbacks for these status changes, in the caller's transaction: the
 * changes and the promise to report them commit together. Messages without a callback URL owe
 * nothing. One statement for the lot; ids are uuid v7 in list order, which is the order the
 * worker delivers one message's callbacks in.
 */
export async function enqueueStatusCallbacks(tx: Tx, owed: OwedCallback[]): Promise<void> {
  const rows = owed
    .filter((o) => o.row.callbackUrl)
    .map((o) => ({
      id: uuidv7(),
      accountId: o.row.accountId,
      subaccountId: o.row.subaccountId,
      messageId: o.row.messageId,
      type: o.type,
      url: o.row.callbackUrl,
      payload: statusCallbackPayload(o.type, o.row, o.at),
    }));
  if (rows.length === 0) return;
  // One array parameter per column (drizzle's multi-row insert would build one per cell).
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await tx.execute(sql`
    insert into ${callbacks} (id, account_id, subaccount_id, message_id, type, url, payload)
    select * from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.accountId)}::text[], ${col((r) => r.subaccountId)}::text[],
      ${col((r) => r.messageId)}::uuid[], ${col((r) => r.type)}::text[], ${col((r) => r.url)}::text[], ${col((r) => r.payload)}::text[])`);
}
