import type { UserPrincipal } from '@sabia/auth';
import type { status as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { deliveredStatusName, sentStatusName } from '@sabia/status-codes';
import { and, asc, sql } from 'drizzle-orm';
import { messageStatus } from '../db';
import { csvLine } from './csv';
import { filterConditions } from './message-filter';

const BATCH = 5_000;
export const CSV_HEADER = [
  'message_id', 'subaccount_id', 'to', 'correlation_id', 'carrier', 'parts',
  'sent_status', 'sent_status_name', 'sent_at', 'delivered_status', 'delivered_status_name', 'delivered_at',
];

/**
 * The detailed report: every matching message as CSV, oldest first, read in keyset batches of
 * 5,000 rows and handed out one batch per chunk. Memory stays flat whatever the period holds;
 * `send` waits for the client, so a slow reader slows the queries down.
 */
export async function exportMessages(db: Db, principal: UserPrincipal, req: pb.ExportMessagesRequest, send: (csv: string) => Promise<void>): Promise<number> {
  const { where } = filterConditions(principal, req.filter, { periodRequired: true });
  await send(csvLine(CSV_HEADER));
  let after: { sentAt: Date; messageId: string } | undefined;
  let total = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(messageStatus)
      .where(and(where, after ? sql`(${messageStatus.sentAt}, ${messageStatus.messageId}) > (${after.sentAt.toISOString()}::timestamptz, ${after.messageId}::uuid)` : undefined))
      .orderBy(asc(messageStatus.sentAt), asc(messageStatus.messageId))
      .limit(BATCH);
    if (rows.length === 0) return total;
    let chunk = '';
    for (const r of rows) {
      chunk += csvLine([
        r.messageId, r.subaccountId, r.to, r.correlationId, r.carrier, r.parts,
        r.sentStatus, r.sentStatus === null ? '' : sentStatusName(r.sentStatus), r.sentAt?.toISOString(),
        r.deliveredStatus, r.deliveredStatus === null ? '' : deliveredStatusName(r.deliveredStatus), r.deliveredAt?.toISOString(),
      ]);
    }
    await send(chunk);
    total += rows.length;
    const last = rows.at(-1)!;
    after = { sentAt: last.sentAt!, messageId: last.messageId };
    if (rows.length < BATCH) return total;
  }
}
