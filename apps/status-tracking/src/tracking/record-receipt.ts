import type { Context } from '@opentelemetry/api';
import { SUBJECTS, type OutgoingEvent } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import { eachKey, type Db } from '@sabia/db';
import { DELIVERED_STATUS, deliveredStatusFromReceipt, deliveredStatusOfParts, type DeliveredStatusCode } from '@sabia/status-codes';
import { sql } from 'drizzle-orm';
import type { CallbackHandOff } from '../callbacks/callback-handoff';
import { writeWithCallbacks, type OwedCallback } from '../callbacks/enqueue-callback';
import { messageStatus, partStatus } from '../db';
import { eventUuid, historyInsertSql, type HistoryRow } from './insert-history';
import { isFinalDelivered } from './final-delivered';
import { toRow } from './record-sent';
import { statusChangedEvent } from './status-changed-event';

export interface ReceiptFact {
  eventId: string;
  receipt: sendingEvents.ReceiptReceived;
  traceContext?: Context;
}

/**
 * Records a batch of carrier receipts, each for one part, in one transaction, and derives each
 * message's second level from all its parts (deliveredStatusOfParts). A receipt may arrive
 * before the first level (events travel on separate consumers): the row is created and the
 * first level fills in later. A duplicate receipt, or a second final receipt for a part,
 * changes nothing but the history; so do intermediate states (ENROUTE, ACCEPTD). StatusChanged
 * and the "delivered" callback go out only when a message's second level actually changes
 * (the callback waits for the first level if the receipt overtook it).
 *
 * Every receipt goes into the history first, keyed by its event: the ones already there were
 * applied before (a redelivery), and only the rest are applied. The history is this consumer's
 * record of what it applied, so no processed-event row is written per receipt.
 */
export async function recordReceipts(db: Db, facts: ReceiptFact[], handOff?: CallbackHandOff): Promise<void> {
  const since = performance.now();
  const due = await db.transaction(async (tx) => {
    const partOf = (r: sendingEvents.ReceiptReceived) => r.part || 1;
    const partsOf = (r: sendingEvents.ReceiptReceived) => Math.max(r.parts || 1, partOf(r));
    // The status time is when we learned it: the carrier's done date has minute precision and
    // its own clock, so it is kept in the history detail instead.
    const atOf = (r: sendingEvents.ReceiptReceived) => r.receivedAt ?? new Date();
    const recorded = await tx.execute<{ event_id: string }>(
      historyInsertSql(
        facts.map(({ eventId, receipt: r }) => ({
          messageId: r.messageId,
          accountId: r.accountId,
          eventId,
          level: 2 as const,
          code: deliveredStatusFromReceipt(r.stat) ?? 0,
          detail: `part:${partOf(r)}/${partsOf(r)} stat:${r.stat} err:${r.err} done:${r.doneAt?.toISOString() ?? '?'}`,
          at: atOf(r),
        })),
        sql`event_id`,
      )!,
    );
    const fresh = new Set(recorded.rows.map((r) => String(r.event_id)));
    const todo = facts.filter((f) => fresh.has(eventUuid(f.eventId)));
    if (todo.length === 0) return;
    const finals = todo.filter((f) => deliveredStatusFromReceipt(f.receipt.stat) !== undefined);
    if (finals.length === 0) return;
    // Lock (or create) each message's row, in id order so concurrent batches never deadlock.
    // Only then are the parts written and read: whoever holds a message's row sees every part
    // recorded before it. An existing row is locked without being written (DO UPDATE … WHERE
    // false locks the rows it does not update), then read by the next statement, whose snapshot
    // sees the latest of each. The SET names a non-key column on purpose: a key column would
    // take the stronger FOR UPDATE lock, which also blocks inserts referencing the row.
    const latest = new Map<string, ReceiptFact>();
    for (const f of finals) latest.set(f.receipt.messageId, f);
    const messages = [...latest.values()].sort((a, b) => (a.receipt.messageId < b.receipt.messageId ? -1 : 1));
    const col = <T>(pick: (r: sendingEvents.ReceiptReceived) => T) => sql.param(messages.map((f) => pick(f.receipt)));
    await tx.execute(sql`
      insert into ${messageStatus} as ms (message_id, account_id, subaccount_id, parts, callback_url, correlation_id, "to")
      select * from unnest(${col((r) => r.messageId)}::uuid[], ${col((r) => r.accountId)}::text[], ${col((r) => r.subaccountId)}::text[],
        ${col(partsOf)}::smallint[], ${col((r) => r.callbackUrl)}::text[], ${col((r) => r.correlationId)}::text[], ${col((r) => r.to)}::text[])
      on conflict (message_id) do update set updated_at = ms.updated_at where false`);
    const locked = await tx.execute<{ message_id: string; parts: number; delivered_status: number | null }>(sql`
      select m.message_id, m.parts, m.delivered_status from ${eachKey(
        sql`unnest(${col((r) => r.messageId)}::uuid[]) as k(id)`,
        sql`select message_id, parts, delivered_status from ${messageStatus} where message_id = k.id`,
        'm',
      )}`);
    const rows = new Map(locked.rows.map((r) => [String(r.message_id), { messageId: String(r.message_id), parts: Number(r.parts), deliveredStatus: r.delivered_status === null ? null : Number(r.delivered_status) }]));
    // The new parts and the ones recorded before, in one statement: the lookup cannot see what
    // its sibling inserts, so those come from the insert's RETURNING (a part already there is
    // not inserted again, and the lookup finds it).
    const fcol = <T>(pick: (r: sendingEvents.ReceiptReceived) => T) => sql.param(finals.map((f) => pick(f.receipt)));
    const { rows: known } = await tx.execute<{ messageId: string; part: number; deliveredStatus: number; fresh: boolean }>(sql`
      with inserted as (
        insert into ${partStatus} (message_id, part, delivered_status, receipt_stat, at)
        select * from unnest(${fcol((r) => r.messageId)}::uuid[], ${fcol(partOf)}::smallint[], ${fcol((r) => deliveredStatusFromReceipt(r.stat)!)}::integer[],
          ${fcol((r) => r.stat)}::text[], ${fcol((r) => atOf(r).toISOString())}::timestamptz[])
        on conflict do nothing
        returning message_id, part, delivered_status)
      select p.message_id as "messageId", p.part, p.delivered_status as "deliveredStatus", false as fresh
      from ${eachKey(
        sql`unnest(${sql.param(messages.map((f) => f.receipt.messageId))}::uuid[]) as k(id)`,
        sql`select message_id, part, delivered_status from ${partStatus} where message_id = k.id`,
        'p',
      )}
      union all
      select message_id, part, delivered_status, true from inserted`);
    const partsOfMessage = new Map<string, typeof known>();
    for (const k of known) partsOfMessage.set(k.messageId, [...(partsOfMessage.get(k.messageId) ?? []), k]);
    // The receipt a message's change is reported with: its latest one that recorded a part (a
    // repeated final for a part already recorded changed nothing, so its stat is not the
    // message's). Of a batch's receipts for one part, the insert kept the first.
    const recordedNow = new Set(known.filter((k) => k.fresh).map((k) => `${k.messageId}/${k.part}`));
    const reportedBy = new Map<string, ReceiptFact>();
    const seen = new Set<string>();
    for (const f of finals) {
      const key = `${f.receipt.messageId}/${partOf(f.receipt)}`;
      if (!seen.has(key) && recordedNow.has(key)) reportedBy.set(f.receipt.messageId, f);
      seen.add(key);
    }

    const changes: Array<{ fact: ReceiptFact; next: number; at: Date }> = [];
    for (const latestFact of messages) {
      const fact = reportedBy.get(latestFact.receipt.messageId) ?? latestFact;
      const row = rows.get(fact.receipt.messageId)!;
      const parts = (partsOfMessage.get(row.messageId) ?? [])
        .sort((a, b) => a.part - b.part)
        .map((k) => k.deliveredStatus as DeliveredStatusCode);
      const next = deliveredStatusOfParts(row.parts, parts);
      if (next !== undefined && next !== row.deliveredStatus) changes.push({ fact, next, at: atOf(fact.receipt) });
    }
    if (changes.length === 0) return;
    const updated = await tx.execute<Record<string, unknown>>(sql`
      update ${messageStatus} ms set delivered_status = t.status, delivered_at = t.at, receipt_stat = t.stat, updated_at = now()
      from unnest(${sql.param(changes.map((c) => c.fact.receipt.messageId))}::uuid[], ${sql.param(changes.map((c) => c.next))}::integer[],
        ${sql.param(changes.map((c) => c.at.toISOString()))}::timestamptz[], ${sql.param(changes.map((c) => c.fact.receipt.stat))}::text[]) as t(id, status, at, stat)
      where ms.message_id = t.id
      returning ms.*`);
    const after = new Map(updated.rows.map((r) => [String(r.message_id), toRow(r)]));
    const events: OutgoingEvent[] = [];
    const owed: OwedCallback[] = [];
    const splits: HistoryRow[] = [];
    for (const { fact, next, at } of changes) {
      const row = after.get(fact.receipt.messageId)!;
      events.push({ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row, { deliveredStatus: next, at }), traceContext: fact.traceContext });
      // The receipt rows above are per part; a 401 is the message's own.
      if (next === DELIVERED_STATUS.MESSAGE_SPLIT) {
        splits.push({ messageId: row.messageId, accountId: row.accountId, eventId: fact.eventId, seq: 1, level: 2, code: next, detail: `sent in ${row.parts} parts`, at });
      }
      if (isFinalDelivered(next) && row.sentStatus !== null) owed.push({ type: 'message.delivered', row, at });
    }
    return writeWithCallbacks(tx, [historyInsertSql(splits)], events, owed, handOff);
  });
  // Committed: this process delivers them (leased to it above), no claim needed.
  if (due?.length) handOff?.take(due, since);
}
