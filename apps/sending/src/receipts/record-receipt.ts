import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { Db } from '@sabia/db';
import { and, eq } from 'drizzle-orm';
import { earlyReceipts, messageParts, messages, outbox } from '../db';
import { lockCarrierId } from './lock-carrier-id';
import { receiptEvent, type ReceiptFacts } from './receipt-event';

/**
 * A delivery receipt for a carrier id, which names one part of a message. Known id: announce
 * it for that part. Unknown id (the receipt beat its submit_sm_resp, or we crashed before
 * recording it): park it in early_receipts, to be released by recordPart. Never drop.
 */
export async function recordReceipt(
  db: Db,
  input: { carrier: string; carrierMessageId: string; receipt: ReceiptFacts },
): Promise<'announced' | 'parked'> {
  return db.transaction(async (tx) => {
    await lockCarrierId(tx, input.carrier, input.carrierMessageId);
    const [found] = await tx
      .select({ message: messages, part: messageParts.part })
      .from(messageParts)
      .innerJoin(messages, eq(messages.id, messageParts.messageId))
      .where(and(eq(messageParts.carrier, input.carrier), eq(messageParts.carrierMessageId, input.carrierMessageId)));
    if (!found) {
      await tx
        .insert(earlyReceipts)
        .values({ carrier: input.carrier, carrierMessageId: input.carrierMessageId, receipt: input.receipt })
        .onConflictDoNothing();
      return 'parked';
    }
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.receiptReceived, payload: receiptEvent(found.message, { part: found.part, carrierMessageId: input.carrierMessageId }, input.receipt, new Date()) }]);
    return 'announced';
  });
}
