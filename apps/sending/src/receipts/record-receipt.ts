import { enqueueEvents, SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import type { Db } from '@sabia/db';
import type { Context } from '@opentelemetry/api';
import { eq, sql } from 'drizzle-orm';
import { earlyReceipts, messageParts, messages, outbox } from '../db';
import { receiptEvent, type ReceiptFacts } from './receipt-event';

export interface IncomingReceipt {
  carrier: string;
  carrierMessageId: string;
  receipt: ReceiptFacts;
  traceContext?: Context;
}

export type ReceiptOutcome = 'announced' | 'parked';

/**
 * Delivery receipts, each for a carrier id that names one part of a message, recorded in one
 * transaction. Known id: announce it for that part. Unknown id (the receipt beat its
 * submit_sm_resp, or we crashed before recording it): park it in early_receipts, to be released
 * when the part is recorded. Never dropped.
 */
export async function recordReceipts(db: Db, receipts: IncomingReceipt[]): Promise<ReceiptOutcome[]> {
  if (receipts.length === 0) return [];
  return db.transaction(async (tx) => {
    const carriers = sql.param(receipts.map((r) => r.carrier));
    const ids = sql.param(receipts.map((r) => r.carrierMessageId));
    // Serialises each id's receipt with the recording of its submit (recordSubmissions takes
    // the same locks, in the same order), so neither can miss the other.
    await tx.execute(sql`
      select pg_advisory_xact_lock(hashtext(c), hashtext(m))
      from (select c, m from (select distinct c, m from unnest(${carriers}::text[], ${ids}::text[]) as t(c, m)) d
            order by hashtext(c), hashtext(m)) ordered`);
    const found = await tx
      .select({ message: messages, part: messageParts.part, carrier: messageParts.carrier, carrierMessageId: messageParts.carrierMessageId })
      .from(messageParts)
      .innerJoin(messages, eq(messages.id, messageParts.messageId))
      .innerJoin(sql`unnest(${carriers}::text[], ${ids}::text[]) as t(c, m)`, sql`${messageParts.carrier} = t.c and ${messageParts.carrierMessageId} = t.m`);
    const key = (carrier: string, id: string) => `${carrier}\u0000${id}`;
    const byKey = new Map(found.map((f) => [key(f.carrier, f.carrierMessageId!), f]));
    const events: OutgoingEvent[] = [];
    const parked: IncomingReceipt[] = [];
    const now = new Date();
    const outcomes = receipts.map((r): ReceiptOutcome => {
      const f = byKey.get(key(r.carrier, r.carrierMessageId));
      if (!f) {
        parked.push(r);
        return 'parked';
      }
      events.push({ subject: SUBJECTS.receiptReceived, payload: receiptEvent(f.message, { part: f.part, carrierMessageId: r.carrierMessageId }, r.receipt, now), traceContext: r.traceContext });
      return 'announced';
    });
    if (parked.length > 0) {
      await tx
        .insert(earlyReceipts)
        .values(parked.map((r) => ({ carrier: r.carrier, carrierMessageId: r.carrierMessageId, receipt: r.receipt })))
        .onConflictDoNothing();
    }
    await enqueueEvents(tx, outbox, events);
    return outcomes;
  });
}

/** One receipt (tests and tools); the SMPP path goes through the ReceiptBatcher. */
export async function recordReceipt(db: Db, receipt: IncomingReceipt): Promise<ReceiptOutcome> {
  const [outcome] = await recordReceipts(db, [receipt]);
  return outcome!;
}

