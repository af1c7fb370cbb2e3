import { applyOnce, enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { deliveredStatusFromReceipt } from '@sabia/status-codes';
import { sql } from 'drizzle-orm';
import { messageStatus, outbox, processedEvents, statusHistory } from '../db';
import { statusChangedEvent } from './status-changed-event';

const CONSUMER = 'status-receipt-received';

/**
 * Records the second level from a carrier receipt. It may arrive before the first level
 * (events travel on separate consumers): the row is created and the first level fills in
 * later. Intermediate receipt states (ENROUTE, ACCEPTD) are kept in history only.
 */
export async function recordReceipt(db: Db, eventId: string, receipt: sendingEvents.ReceiptReceived): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await applyOnce(tx, processedEvents, CONSUMER, eventId))) return;
    const delivered = deliveredStatusFromReceipt(receipt.stat);
    // The status time is when we learned it: the carrier's done date has minute precision
    // and its own clock, so it is kept in the history detail instead.
    const at = receipt.receivedAt ?? new Date();
    await tx.insert(statusHistory).values({
      messageId: receipt.messageId,
      accountId: receipt.accountId,
      level: 2,
      code: delivered ?? 0,
      detail: `stat:${receipt.stat} err:${receipt.err} done:${receipt.doneAt?.toISOString() ?? '?'}`,
      at,
    });
    if (delivered === undefined) return;
    const [row] = await tx
      .insert(messageStatus)
      .values({
        messageId: receipt.messageId,
        accountId: receipt.accountId,
        subaccountId: receipt.subaccountId,
        carrierMessageId: receipt.carrierMessageId,
        deliveredStatus: delivered,
        deliveredAt: at,
        receiptStat: receipt.stat,
      })
      .onConflictDoUpdate({
        target: messageStatus.messageId,
        set: {
          deliveredStatus: sql`excluded.delivered_status`,
          deliveredAt: sql`excluded.delivered_at`,
          receiptStat: sql`excluded.receipt_stat`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row!, { deliveredStatus: delivered, at }) }]);
  });
}
