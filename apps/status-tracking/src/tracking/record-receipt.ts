import { applyOnce, enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { DELIVERED_STATUS, deliveredStatusFromReceipt, deliveredStatusOfParts, type DeliveredStatusCode } from '@sabia/status-codes';
import { asc, eq, sql } from 'drizzle-orm';
import { messageStatus, outbox, partStatus, processedEvents, statusHistory } from '../db';
import { enqueueStatusCallback } from '../callbacks/enqueue-callback';
import { isFinalDelivered } from './final-delivered';
import { statusChangedEvent } from './status-changed-event';

const CONSUMER = 'status-receipt-received';

/**
 * Records a carrier receipt for one part and derives the message's second level from all its
 * parts (deliveredStatusOfParts). It may arrive before the first level (events travel on
 * separate consumers): the row is created and the first level fills in later. A duplicate
 * receipt, or a second final receipt for a part, changes nothing but the history; so do
 * intermediate states (ENROUTE, ACCEPTD). StatusChanged is announced only when the message's
 * second level actually changes.
 */
export async function recordReceipt(db: Db, eventId: string, receipt: sendingEvents.ReceiptReceived): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await applyOnce(tx, processedEvents, CONSUMER, eventId))) return;
    const delivered = deliveredStatusFromReceipt(receipt.stat);
    const part = receipt.part || 1;
    const parts = Math.max(receipt.parts || 1, part);
    // The status time is when we learned it: the carrier's done date has minute precision
    // and its own clock, so it is kept in the history detail instead.
    const at = receipt.receivedAt ?? new Date();
    await tx.insert(statusHistory).values({
      messageId: receipt.messageId,
      accountId: receipt.accountId,
      level: 2,
      code: delivered ?? 0,
      detail: `part:${part}/${parts} stat:${receipt.stat} err:${receipt.err} done:${receipt.doneAt?.toISOString() ?? '?'}`,
      at,
    });
    if (delivered === undefined) return;
    await tx
      .insert(partStatus)
      .values({ messageId: receipt.messageId, part, deliveredStatus: delivered, receiptStat: receipt.stat, at })
      .onConflictDoNothing();
    // Serialise receipts of one message: each sees the parts the others recorded.
    const [current] = await tx
      .insert(messageStatus)
      .values({
        messageId: receipt.messageId,
        accountId: receipt.accountId,
        subaccountId: receipt.subaccountId,
        parts,
        callbackUrl: receipt.callbackUrl,
        correlationId: receipt.correlationId,
        to: receipt.to,
      })
      .onConflictDoUpdate({ target: messageStatus.messageId, set: { updatedAt: sql`now()` } })
      .returning();
    const known = await tx
      .select({ deliveredStatus: partStatus.deliveredStatus })
      .from(partStatus)
      .where(eq(partStatus.messageId, receipt.messageId))
      .orderBy(asc(partStatus.part));
    const next = deliveredStatusOfParts(current!.parts, known.map((k) => k.deliveredStatus as DeliveredStatusCode));
    if (next === undefined || next === current!.deliveredStatus) return;
    const [row] = await tx
      .update(messageStatus)
      .set({ deliveredStatus: next, deliveredAt: at, receiptStat: receipt.stat, updatedAt: sql`now()` })
      .where(eq(messageStatus.messageId, receipt.messageId))
      .returning();
    if (next === DELIVERED_STATUS.MESSAGE_SPLIT) {
      // The receipt rows above are per part; this one is the message's own 401.
      await tx.insert(statusHistory).values({
        messageId: receipt.messageId, accountId: receipt.accountId, level: 2, code: next, detail: `sent in ${current!.parts} parts`, at,
      });
    }
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row!, { deliveredStatus: next, at }) }]);
    // One callback for the delivery receipt, once the message's second level is final; before
    // the first level is known it waits for recordSent, which sends both in order.
    if (isFinalDelivered(next) && row!.sentStatus !== null) await enqueueStatusCallback(tx, 'message.delivered', row!, at);
  });
}
