import { enqueueEvents, SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import { eachKey, uuidv7, type Db, type Tx } from '@sabia/db';
import type { Context } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import { earlyReceipts, messageParts, messages, outbox } from '../db';
import { carrierIdKey, lockCarrierIds } from './carrier-id-lock';
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
 *
 * A part once recorded stays recorded, so a receipt whose part is found needs no lock. Only the
 * ids not found are locked (lockCarrierIds, as recordSubmissions does, so neither side can miss
 * the other) and looked up again before they are parked: the lookup
 * may have run while their submit was being recorded. Locking every id made the two recorders
 * take turns, each waiting for the other's whole batch.
 */
export async function recordReceipts(db: Db, receipts: IncomingReceipt[]): Promise<ReceiptOutcome[]> {
  if (receipts.length === 0) return [];
  return db.transaction(async (tx) => {
    const byKey = await findParts(tx, receipts);
    const unknown = receipts.filter((r) => !byKey.has(carrierIdKey(r)));
    if (unknown.length > 0) {
      await lockCarrierIds(tx, unknown);
      for (const [k, found] of await findParts(tx, unknown)) byKey.set(k, found);
    }
    const events: OutgoingEvent[] = [];
    const parked: IncomingReceipt[] = [];
    const now = new Date();
    const outcomes = receipts.map((r): ReceiptOutcome => {
      const f = byKey.get(carrierIdKey(r));
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
        // uuid v7 in arrival order: what the release sorts by (received_at ties within a batch).
        .values(parked.map((r) => ({ id: uuidv7(), carrier: r.carrier, carrierMessageId: r.carrierMessageId, receipt: r.receipt })));
    }
    await enqueueEvents(tx, outbox, events);
    return outcomes;
  });
}

/** The recorded parts (with their messages) the receipts name, by carrier and carrier id. */
async function findParts(tx: Tx, receipts: IncomingReceipt[]) {
  const found = await tx
    .select({ message: messages, part: sql<number>`p.part`, carrier: sql<string>`p.carrier`, carrierMessageId: sql<string>`p.carrier_message_id` })
    .from(messages)
    .innerJoin(
      sql`(select p.* from ${eachKey(
        sql`unnest(${sql.param(receipts.map((r) => r.carrier))}::text[], ${sql.param(receipts.map((r) => r.carrierMessageId))}::text[]) as t(c, m)`,
        sql`select message_id, part, carrier, carrier_message_id from ${messageParts} where carrier = t.c and carrier_message_id = t.m`,
        'p',
      )}) as p`,
      sql`p.message_id = ${messages.id}`,
    );
  return new Map(found.map((f) => [carrierIdKey(f), f]));
}

/** One receipt (tests and tools); the SMPP path goes through the ReceiptBatcher. */
export async function recordReceipt(db: Db, receipt: IncomingReceipt): Promise<ReceiptOutcome> {
  const [outcome] = await recordReceipts(db, [receipt]);
  return outcome!;
}

