import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { Db } from '@sabia/db';
import { and, eq } from 'drizzle-orm';
import { earlyReceipts, messages, outbox } from '../db';
import { lockCarrierId } from './lock-carrier-id';
import { receiptEvent, type ReceiptFacts } from './receipt-event';

/**
 * A delivery receipt for a carrier id. Known id: announce it. Unknown id (the receipt beat
 * its submit_sm_resp): park it in early_receipts, to be released by recordSubmit. Never drop.
 */
export async function recordReceipt(
  db: Db,
  input: { carrier: string; carrierMessageId: string; receipt: ReceiptFacts },
): Promise<'announced' | 'parked'> {
  return db.transaction(async (tx) => {
    await lockCarrierId(tx, input.carrier, input.carrierMessageId);
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.carrier, input.carrier), eq(messages.carrierMessageId, input.carrierMessageId)));
    if (!row) {
      await tx
        .insert(earlyReceipts)
        .values({ carrier: input.carrier, carrierMessageId: input.carrierMessageId, receipt: input.receipt })
        .onConflictDoNothing();
      return 'parked';
    }
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.receiptReceived, payload: receiptEvent(row, input.receipt, new Date()) }]);
    return 'announced';
  });
}
