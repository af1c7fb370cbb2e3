import { enqueueEvents, SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import type { Db } from '@sabia/db';
import { and, eq } from 'drizzle-orm';
import { earlyReceipts, messages, outbox } from '../db';
import { messageSentEvent } from '../messages/message-sent-event';
import { lockCarrierId } from '../receipts/lock-carrier-id';
import { receiptEvent } from '../receipts/receipt-event';

/**
 * Records the carrier's answer to a submit and announces the first level. A receipt that
 * overtook this answer was parked in early_receipts; it is released now, in order after it.
 * Returns false when the message was not being submitted (an answer already recorded).
 */
export async function recordSubmit(
  db: Db,
  input: { messageId: string; carrier: string; carrierMessageId: string; sentStatus: number },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (input.carrierMessageId) await lockCarrierId(tx, input.carrier, input.carrierMessageId);
    const [row] = await tx
      .update(messages)
      .set({
        state: input.sentStatus === 2 ? 'submitted' : input.sentStatus === 101 ? 'expired' : 'failed',
        sentStatus: input.sentStatus,
        carrier: input.carrier,
        carrierMessageId: input.carrierMessageId || null,
        submittedAt: new Date(),
      })
      .where(and(eq(messages.id, input.messageId), eq(messages.state, 'submitting')))
      .returning();
    if (!row) return false;
    const events: OutgoingEvent[] = [{ subject: SUBJECTS.messageSent, payload: messageSentEvent(row) }];
    if (input.carrierMessageId) {
      const [early] = await tx
        .delete(earlyReceipts)
        .where(and(eq(earlyReceipts.carrier, input.carrier), eq(earlyReceipts.carrierMessageId, input.carrierMessageId)))
        .returning();
      if (early) events.push({ subject: SUBJECTS.receiptReceived, payload: receiptEvent(row, early.receipt, early.receivedAt) });
    }
    await enqueueEvents(tx, outbox, events);
    return true;
  });
}
