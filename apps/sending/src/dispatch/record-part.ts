import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { Db } from '@sabia/db';
import { and, eq } from 'drizzle-orm';
import { earlyReceipts, messageParts, outbox } from '../db';
import type { MessageRow } from '../messages/message';
import { lockCarrierId } from '../receipts/lock-carrier-id';
import { receiptEvent } from '../receipts/receipt-event';

/**
 * Records the carrier's answer for one part, at once, before the next part is submitted: a
 * dispatch that dies midway resumes after the last recorded part, so no handset gets a part
 * twice. A receipt that overtook this answer was parked in early_receipts; it is released now.
 * Recording the same part again changes nothing.
 */
export async function recordPart(
  db: Db,
  input: { message: MessageRow; part: number; carrier: string; carrierMessageId: string; sentStatus: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { message, part, carrier, carrierMessageId } = input;
    if (carrierMessageId) await lockCarrierId(tx, carrier, carrierMessageId);
    const inserted = await tx
      .insert(messageParts)
      .values({ messageId: message.id, part, carrier, carrierMessageId: carrierMessageId || null, sentStatus: input.sentStatus })
      .onConflictDoNothing()
      .returning({ part: messageParts.part });
    if (inserted.length === 0 || !carrierMessageId) return;
    const [early] = await tx
      .delete(earlyReceipts)
      .where(and(eq(earlyReceipts.carrier, carrier), eq(earlyReceipts.carrierMessageId, carrierMessageId)))
      .returning();
    if (early) {
      const payload = receiptEvent(message, { part, carrierMessageId }, early.receipt, early.receivedAt);
      await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.receiptReceived, payload }]);
    }
  });
}
