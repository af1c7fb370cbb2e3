import type { Context } from '@opentelemetry/api';
import { SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import { eachKey, type Db } from '@sabia/db';
import { DELIVERED_STATUS, SENT_STATUS } from '@sabia/status-codes';
import { sql } from 'drizzle-orm';
import type { CallbackHandOff } from '../callbacks/callback-handoff';
import { writeWithCallbacks, type OwedCallback } from '../callbacks/enqueue-callback';
import { messageStatus } from '../db';
import { historyInsertSql, type HistoryRow } from './insert-history';
import { isFinalDelivered } from './final-delivered';
import { statusChangedEvent } from './status-changed-event';

export interface SentFact {
  eventId: string;
  sent: sendingEvents.MessageSent;
  traceContext?: Context;
}

type Row = typeof messageStatus.$inferSelect;

/**
 * Records the first level of a batch of messages in one transaction. The first answer wins: a
 * first level is final, so a later, different one is a bug upstream and is refused loudly
 * (the event is dead-lettered after its retries) instead of rewriting history. Being final
 * also makes the record its own proof of application: a redelivered event (or the same fact
 * published twice) finds its message's first level already there and changes nothing, so no
 * processed-event row is written per message.
 * A split message's second level starts as 401 MESSAGE_SPLIT until its parts' receipts
 * decide it; receipts that came first have decided already, and their held-back "delivered"
 * callback goes out now, after "sent".
 */
export async function recordSent(db: Db, facts: SentFact[], handOff?: CallbackHandOff): Promise<void> {
  const conflicts: Error[] = [];
  const since = performance.now();
  const due = await db.transaction(async (tx) => {
    // One fact per message, in message id order: concurrent batches lock rows in the same order.
    const byMessage = new Map<string, SentFact>();
    for (const f of facts) if (!byMessage.has(f.sent.messageId)) byMessage.set(f.sent.messageId, f);
    const todo = [...byMessage.values()].sort((a, b) => (a.sent.messageId < b.sent.messageId ? -1 : 1));
    if (todo.length === 0) return;
    const col = <T>(pick: (s: sendingEvents.MessageSent, f: SentFact) => T) => sql.param(todo.map((f) => pick(f.sent, f)));
    const result = await tx.execute<Record<string, unknown>>(sql`
      insert into ${messageStatus} as ms (message_id, account_id, subaccount_id, parts, carrier, carrier_message_id, correlation_id, callback_url, "to", sent_status, sent_at, delivered_status, delivered_at)
      select * from unnest(${col((s) => s.messageId)}::uuid[], ${col((s) => s.accountId)}::text[], ${col((s) => s.subaccountId)}::text[],
        ${col((s) => s.parts || 1)}::smallint[], ${col((s) => s.carrier)}::text[], ${col((s) => s.carrierMessageId)}::text[],
        ${col((s) => s.correlationId)}::text[], ${col((s) => s.callbackUrl)}::text[], ${col((s) => s.to)}::text[],
        ${col((s) => s.sentStatus)}::integer[], ${col((s) => (s.at ?? new Date()).toISOString())}::timestamptz[],
        ${col((s) => s.deliveredStatus || null)}::integer[], ${col((s) => (s.deliveredStatus ? (s.at ?? new Date()).toISOString() : null))}::timestamptz[])
      on conflict (message_id) do update set
        sent_status = coalesce(ms.sent_status, excluded.sent_status), sent_at = coalesce(ms.sent_at, excluded.sent_at),
        parts = excluded.parts, carrier = excluded.carrier, carrier_message_id = excluded.carrier_message_id,
        correlation_id = excluded.correlation_id, callback_url = excluded.callback_url, "to" = excluded."to",
        delivered_status = coalesce(ms.delivered_status, excluded.delivered_status), delivered_at = coalesce(ms.delivered_at, excluded.delivered_at), updated_at = now()
      where ms.sent_status is null
      returning *`);
    const rows = new Map(result.rows.map((r) => [String(r.message_id), toRow(r)]));
    // The messages whose first level was already there: applied before when it is the same
    // (nothing to do), a conflict when it is not. Only redeliveries get here.
    const recorded = todo.filter((f) => !rows.has(f.sent.messageId));
    if (recorded.length > 0) {
      const { rows: existing } = await tx.execute<{ message_id: string; sent_status: number | null }>(sql`
        select m.message_id, m.sent_status from ${eachKey(
          sql`unnest(${sql.param(recorded.map((f) => f.sent.messageId))}::uuid[]) as k(id)`,
          sql`select message_id, sent_status from ${messageStatus} where message_id = k.id`,
          'm',
        )}`);
      const first = new Map(existing.map((r) => [String(r.message_id), r.sent_status === null ? null : Number(r.sent_status)]));
      for (const f of recorded) {
        const had = first.get(f.sent.messageId);
        if (had !== f.sent.sentStatus) conflicts.push(new Error(`message ${f.sent.messageId} already has first level ${had}, got ${f.sent.sentStatus}`));
      }
    }

    const history: HistoryRow[] = [];
    const events: OutgoingEvent[] = [];
    const owed: OwedCallback[] = [];
    const splits: string[] = [];
    for (const f of todo) {
      const { sent } = f;
      const row = rows.get(sent.messageId);
      if (!row) continue;
      const at = sent.at ?? new Date();
      history.push({ messageId: sent.messageId, accountId: sent.accountId, eventId: f.eventId, level: 1, code: sent.sentStatus, at });
      events.push({ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row, { sentStatus: sent.sentStatus, at, partStatuses: sent.partStatuses }), traceContext: f.traceContext });
      owed.push({ type: 'message.sent', row, at });
      if (sent.deliveredStatus) {
        // A refusal that is second-level too (201: no credit): both levels at once.
        history.push({ messageId: sent.messageId, accountId: sent.accountId, eventId: f.eventId, seq: 1, level: 2, code: sent.deliveredStatus, detail: 'refused before submission', at });
        events.push({ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row, { deliveredStatus: sent.deliveredStatus, at }), traceContext: f.traceContext });
        owed.push({ type: 'message.delivered', row, at });
      } else if (sent.sentStatus === SENT_STATUS.SENT_SUCCESS && row.parts > 1 && row.deliveredStatus === null) {
        splits.push(sent.messageId);
        const split = { ...row, deliveredStatus: DELIVERED_STATUS.MESSAGE_SPLIT, deliveredAt: at };
        history.push({ messageId: sent.messageId, accountId: sent.accountId, eventId: f.eventId, seq: 1, level: 2, code: DELIVERED_STATUS.MESSAGE_SPLIT, detail: `sent in ${row.parts} parts`, at });
        events.push({ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(split, { deliveredStatus: DELIVERED_STATUS.MESSAGE_SPLIT, at }), traceContext: f.traceContext });
      } else if (row.deliveredStatus !== null && isFinalDelivered(row.deliveredStatus)) {
        owed.push({ type: 'message.delivered', row, at: row.deliveredAt ?? at });
      }
    }
    if (conflicts.length > 0) {
      // Nothing of this batch may commit with a conflicting fact marked processed: undo it all;
      // the batch consumer then handles each event alone, so only the culprit fails.
      throw conflicts.length === 1 ? conflicts[0]! : new AggregateError(conflicts, `${conflicts.length} conflicting first levels`);
    }
    // The rest in one statement: these writes depend on nothing the others write.
    const splitUpdate =
      splits.length > 0
        ? sql`update ${messageStatus} set delivered_status = ${DELIVERED_STATUS.MESSAGE_SPLIT}, delivered_at = sent_at
            where message_id = any(${sql.param(splits)}::uuid[]) and delivered_status is null`
        : undefined;
    return writeWithCallbacks(tx, [splitUpdate, historyInsertSql(history)], events, owed, handOff);
  });
  // Committed: this process delivers them (leased to it above), no claim needed.
  if (due?.length) handOff?.take(due, since);
}

/** A raw message_status row (from a RETURNING *) as drizzle would give it. */
export function toRow(r: Record<string, unknown>): Row {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    messageId: String(r.message_id),
    accountId: String(r.account_id),
    subaccountId: String(r.subaccount_id),
    parts: Number(r.parts),
    carrier: String(r.carrier),
    carrierMessageId: String(r.carrier_message_id),
    correlationId: String(r.correlation_id),
    callbackUrl: String(r.callback_url),
    to: String(r.to),
    sentStatus: r.sent_status === null ? null : Number(r.sent_status),
    sentAt: date(r.sent_at),
    deliveredStatus: r.delivered_status === null ? null : Number(r.delivered_status),
    deliveredAt: date(r.delivered_at),
    receiptStat: r.receipt_stat === null ? null : String(r.receipt_stat),
    updatedAt: date(r.updated_at)!,
  };
}
