import type { Context } from '@opentelemetry/api';
import { enqueueEvents, SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import type { common } from '@sabia/contracts';
import { eachKey, type Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { earlyReceipts, messageParts, messages, outbox } from '../db';
import type { MessageRow } from '../messages/message';
import { messageSentEvent } from '../messages/message-sent-event';
import { lockCarrierIds } from '../receipts/carrier-id-lock';
import { receiptEvent, type ReceiptFacts } from '../receipts/receipt-event';
import { messageSentStatus, stateOf } from './message-sent-status';

/** A carrier's answer to one submitted part. */
export interface PartAnswer {
  message: MessageRow;
  part: number;
  carrier: string;
  /** '' when the carrier issued none (a refused part). */
  carrierMessageId: string;
  sentStatus: number;
  traceContext?: Context;
}

/** A message whose submission is over: every part answered, or the rest given `unsent`. */
export interface FinishedMessage {
  message: MessageRow;
  carrier: string;
  totalParts: number;
  unsent: number;
  traceContext?: Context;
}

/**
 * Records a batch of dispatch results in ONE transaction: every part's answer (so a redelivered
 * dispatch resumes after it and no handset gets a part twice), the receipts that overtook their
 * submit_sm_resp (parked in early_receipts, released now), and the first level of every finished
 * message with its MessageSent event (billing posts exactly the parts a carrier accepted).
 * Recording the same answers again changes nothing; a message already finished is skipped.
 * Returns the ids of the messages finished now.
 */
export async function recordSubmissions(db: Db, input: { parts: PartAnswer[]; finished: FinishedMessage[] }): Promise<Set<string>> {
  if (input.parts.length === 0 && input.finished.length === 0) return new Set();
  return db.transaction(async (tx) => {
    const events: OutgoingEvent[] = [];
    const withId = input.parts.filter((p) => p.carrierMessageId);
    await lockCarrierIds(tx, withId);
    if (input.parts.length > 0) {
      await tx.execute(sql`
        insert into ${messageParts} (message_id, part, carrier, carrier_message_id, sent_status)
        select * from unnest(${sql.param(input.parts.map((p) => p.message.id))}::uuid[], ${sql.param(input.parts.map((p) => p.part))}::smallint[],
          ${sql.param(input.parts.map((p) => p.carrier))}::text[], ${sql.param(input.parts.map((p) => p.carrierMessageId || null))}::text[],
          ${sql.param(input.parts.map((p) => p.sentStatus))}::integer[])
        on conflict do nothing`);
    }
    if (withId.length > 0) {
      const released = await tx.execute<{ id: string; carrier: string; carrier_message_id: string; receipt: ReceiptFacts; received_at: Date }>(sql`
        delete from ${earlyReceipts} e
        where e.ctid = any(array(select x.ctid from ${eachKey(
          sql`unnest(${sql.param(withId.map((p) => p.carrier))}::text[], ${sql.param(withId.map((p) => p.carrierMessageId))}::text[]) as t(c, m)`,
          sql`select ctid from ${earlyReceipts} where carrier = t.c and carrier_message_id = t.m`,
          'x',
        )}))
        returning e.id, e.carrier, e.carrier_message_id, e.receipt, e.received_at`);
      // An id may have parked several (ENROUTE, then DELIVRD): they go out in arrival order,
      // which their uuid v7 ids keep (received_at ties within a batch).
      const inOrder = released.rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const early of inOrder) {
        const part = withId.find((p) => p.carrier === early.carrier && p.carrierMessageId === early.carrier_message_id)!;
        events.push({
          subject: SUBJECTS.receiptReceived,
          payload: receiptEvent(part.message, { part: part.part, carrierMessageId: part.carrierMessageId }, early.receipt, new Date(early.received_at)),
          traceContext: part.traceContext,
        });
      }
    }

    const finishedNow = new Set<string>();
    if (input.finished.length > 0) {
      const ids = input.finished.map((f) => f.message.id);
      const { rows: recorded } = await tx.execute<{ messageId: string; part: number; sentStatus: number; carrierMessageId: string | null }>(sql`
        select p.message_id as "messageId", p.part, p.sent_status as "sentStatus", p.carrier_message_id as "carrierMessageId"
        from ${eachKey(sql`unnest(${sql.param(ids)}::uuid[]) as k(id)`, sql`select * from ${messageParts} where message_id = k.id`, 'p')}`);
      const missing: Array<{ messageId: string; part: number; carrier: string; sentStatus: number }> = [];
      const byMessage = new Map<string, typeof recorded>();
      for (const r of recorded) byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r]);
      const outcomes = input.finished.map((f) => {
        const own = byMessage.get(f.message.id) ?? [];
        const parts: common.PartStatus[] = [];
        for (let part = 1; part <= f.totalParts; part++) {
          const r = own.find((o) => o.part === part);
          if (!r) missing.push({ messageId: f.message.id, part, carrier: f.carrier, sentStatus: f.unsent });
          parts.push({ part, sentStatus: r?.sentStatus ?? f.unsent, carrierMessageId: r?.carrierMessageId ?? '' });
        }
        return { f, parts, sentStatus: messageSentStatus(parts) };
      });
      if (missing.length > 0) {
        await tx.execute(sql`
          insert into ${messageParts} (message_id, part, carrier, sent_status)
          select * from unnest(${sql.param(missing.map((m) => m.messageId))}::uuid[], ${sql.param(missing.map((m) => m.part))}::smallint[],
            ${sql.param(missing.map((m) => m.carrier))}::text[], ${sql.param(missing.map((m) => m.sentStatus))}::integer[])
          on conflict do nothing`);
      }
      const now = new Date();
      const updated = await tx.execute<{ id: string }>(sql`
        update ${messages} m set state = t.state, sent_status = t.sent_status, carrier = t.carrier,
          carrier_message_id = t.carrier_message_id, submitted_at = ${now.toISOString()}::timestamptz
        from unnest(${sql.param(outcomes.map((o) => o.f.message.id))}::uuid[], ${sql.param(outcomes.map((o) => stateOf(o.sentStatus)))}::text[],
          ${sql.param(outcomes.map((o) => o.sentStatus))}::integer[], ${sql.param(outcomes.map((o) => o.f.carrier))}::text[],
          ${sql.param(outcomes.map((o) => o.parts[0]?.carrierMessageId || null))}::text[]) as t(id, state, sent_status, carrier, carrier_message_id)
        where m.id = t.id and m.state = 'submitting'
        returning m.id`);
      for (const { id } of updated.rows) finishedNow.add(id);
      for (const o of outcomes) {
        if (!finishedNow.has(o.f.message.id)) continue;
        // Object.assign, not a spread: spreading a 25-field row takes V8's slow path (5× slower).
        const row: MessageRow = Object.assign({}, o.f.message, {
          state: stateOf(o.sentStatus),
          sentStatus: o.sentStatus,
          carrier: o.f.carrier,
          carrierMessageId: o.parts[0]?.carrierMessageId || null,
          submittedAt: now,
        });
        events.push({ subject: SUBJECTS.messageSent, payload: messageSentEvent(row, o.parts), traceContext: o.f.traceContext });
      }
    }
    await enqueueEvents(tx, outbox, events);
    return finishedNow;
  });
}
