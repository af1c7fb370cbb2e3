import {
  enqueueEvents,
  leadingLocalRelay,
  outboxChannel,
  outboxColumns,
  outboxInsertOneTemplate,
  outboxInsertTemplate,
  SUBJECTS,
  type OutboxColumns,
  type OutgoingEvent,
} from '@sabia/bus';
import { encodeMessage, sendingEvents } from '@sabia/contracts';
import { preparedStatement, type Db, type Slot, type Tx } from '@sabia/db';
import { MicroBatcher } from '@sabia/runtime';
import { sql, type SQL } from 'drizzle-orm';
import { messages, outbox, pooledReservations } from '../db';
import { insertMessages, insertMessagesTemplate, insertMessageTemplate, messageColumns, type MessageColumns, type MessageInsert } from '../db/insert-messages';
import type { Refusal } from './acceptance';
import type { NewMessageRow } from './draft-message';
import type { MessageRow } from './message';
import { messageSentEvent } from './message-sent-event';

export interface Decided {
  row: NewMessageRow;
  refusal?: Refusal;
}

/**
 * Stores a batch's messages while billing is still deciding on them, in the caller's
 * transaction: the insert runs alongside the reservation instead of after it. `decide` waits
 * for billing's answer and refuses what it refused; then the few rows it changed are updated
 * and every message's event is written, accepted ones announcing MessageAccepted (the
 * dispatcher submits them), refused ones MessageSent with their code (status tracking records
 * it; nothing is submitted or billed). Nothing is visible before the transaction commits.
 */
export async function storeMessagesWhile(tx: Tx, decided: Decided[], decide: () => Promise<void>): Promise<MessageRow[]> {
  const before = decided.map((d) => d.refusal);
  const stored = rowsOf(decided);
  await Promise.all([insertMessages(tx, stored), decide()]);
  const changed: MessageRow[] = [];
  decided.forEach((d, i) => {
    if (d.refusal === before[i]) return;
    changed.push(Object.assign(stored[i]!, refusalFields(d.refusal)));
  });
  if (changed.length > 0) {
    const col = <T>(pick: (r: MessageRow) => T) => sql.param(changed.map(pick));
    await tx.execute(sql`
      update ${messages} m set state = t.state, sent_status = t.sent_status, refusal_reason = t.reason, refusal_delivered_status = t.delivered
      from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.state)}::text[], ${col((r) => r.sentStatus)}::integer[],
        ${col((r) => r.refusalReason)}::text[], ${col((r) => r.refusalDeliveredStatus)}::integer[]) as t(id, state, sent_status, reason, delivered)
      where m.id = t.id`);
  }
  await enqueueEvents(tx, outbox, stored.map(eventOf));
  return stored;
}

/**
 * Messages of separate requests and their events in ONE statement (no transaction round
 * trips; prepared, so Postgres plans it once per connection, and built once, so a call only
 * gives its values): the insert skips a message whose idempotency key is already taken (the
 * unique index decides between concurrent duplicates, also two in the same call: the first
 * wins), and an event is written only with the message it announces. Per message: the stored
 * row, or undefined when its key was taken. The relay hears of the commit in memory when it
 * runs here (leadingLocalRelay), else by NOTIFY. One message goes as plain values (storeOne):
 * most group commits of single sends hold one, and arrays cost Postgres more than the row.
 */
export async function storeMany(db: Db, decided: Decided[]): Promise<Array<MessageRow | undefined>> {
  if (decided.length === 1) return [await storeOne(db, decided[0]!)];
  const rows = rowsOf(decided);
  const relay = leadingLocalRelay(outbox);
  const values = Object.assign(messageColumns(rows), outboxColumns(rows.map(eventOf), rows.map((r) => r.id)), { notify: !relay });
  const stored = new Set((await storeManyStatement(db, values)).rows[0]!.stored ?? []);
  if (relay && stored.size > 0) relay.wake();
  return rows.map((row) => (stored.has(row.id) ? row : undefined));
}

/** storeMany for one message. */
async function storeOne(db: Db, decided: Decided): Promise<MessageRow | undefined> {
  const row = rowsOf([decided])[0]!;
  const relay = leadingLocalRelay(outbox);
  const stored = (await storeOneStatement(db, { message: row, event: eventOf(row), notify: !relay })).rows[0]!.stored?.length === 1;
  if (relay && stored) relay.wake();
  return stored ? row : undefined;
}

type Stored = { stored: string[] | null };
type Notify = { notify: boolean };

/** The statement both stores share, around their two inserts (the message's RETURNING id, the events' own filter on it). */
const storeStatement = (slot: Slot<Notify>, insertMessages: SQL, insertEvents: SQL) => sql`
    with m as (
      ${insertMessages}
      on conflict (account_id, idempotency_key) where batch_id is null do nothing
      returning id
    ), o as (
      ${insertEvents}
      returning 1
    ), p as (
      -- A message stored under a reservation made ahead: its pool row is done with.
      delete from ${pooledReservations} where id in (select id from m)
    )
    select array(select id::text from m) as stored, (select pg_notify(${outboxChannel(outbox)}, '') from o where ${slot('notify')}::boolean limit 1) as notified`;

const storeManyStatement = preparedStatement<MessageColumns & OutboxColumns & Notify, Stored>('sending_store_many', (slot) =>
  storeStatement(slot, insertMessagesTemplate(slot), sql`${outboxInsertTemplate(outbox, slot)} where t.key::uuid in (select id from m)`),
);

const storeOneStatement = preparedStatement<{ message: MessageInsert; event: OutgoingEvent } & Notify, Stored>('sending_store_one', (slot) =>
  storeStatement(slot, insertMessageTemplate(slot), sql`${outboxInsertOneTemplate(outbox, slot)} from m`),
);

export type StorePort = (decided: Decided) => Promise<MessageRow | undefined>;

/**
 * Group commit for single sends: SendSms calls that arrive while earlier ones are being stored go
 * together, in one statement and one commit (storeMany). If that statement fails, each call is stored
 * alone, so one bad message cannot fail its neighbours.
 */
export function messageStore(db: Db): StorePort {
  const batcher = new MicroBatcher<Decided, MessageRow | undefined | Error>(
    async (items) => {
      try {
        return await storeMany(db, items);
      } catch (err) {
        if (items.length === 1) return [err as Error];
        return Promise.all(items.map((item) => storeMany(db, [item]).then(([row]) => row, (alone: Error) => alone)));
      }
    },
    { maxBatch: 500, maxInFlight: 2 },
  );
  return async (decided) => {
    const result = await batcher.add(decided);
    if (result instanceof Error) throw result;
    return result;
  };
}

// Every field written out: spreading a 17-field row into a 25-field one took V8's slow path,
// 10 µs a row (a tenth of a second per 10,000-recipient batch); this takes well under 1 µs.
function rowsOf(decided: Decided[]): MessageRow[] {
  const createdAt = new Date();
  return decided.map(({ row: r, refusal }) => {
    const decision = refusalFields(refusal);
    return {
      id: r.id,
      accountId: r.accountId,
      subaccountId: r.subaccountId,
      userId: r.userId,
      to: r.to,
      text: r.text,
      encoding: r.encoding,
      parts: r.parts,
      carrier: r.carrier,
      correlationId: r.correlationId,
      callbackUrl: r.callbackUrl,
      idempotencyKey: r.idempotencyKey,
      requestHash: r.requestHash,
      traceId: r.traceId,
      batchId: r.batchId,
      batchIndex: r.batchIndex,
      expiresAt: r.expiresAt,
      state: decision.state,
      sentStatus: decision.sentStatus,
      refusalReason: decision.refusalReason,
      refusalDeliveredStatus: decision.refusalDeliveredStatus,
      carrierMessageId: null,
      concatReference: null,
      createdAt,
      submittedAt: null,
    };
  });
}

/** The columns an acceptance decision sets. */
function refusalFields(refusal: Refusal | undefined) {
  return {
    state: refusal ? 'refused' : 'accepted',
    sentStatus: refusal?.code ?? null,
    refusalReason: refusal?.reason ?? null,
    refusalDeliveredStatus: refusal?.deliveredStatus ?? null,
  };
}

/** Accepted: MessageAccepted (the dispatcher submits it). Refused: MessageSent with its code. */
function eventOf(row: MessageRow): OutgoingEvent {
  if (row.state === 'refused') return { subject: SUBJECTS.messageSent, payload: messageSentEvent(row) };
  return {
    subject: SUBJECTS.messageAccepted,
    payload: encodeMessage(sendingEvents.MessageAccepted, {
      messageId: row.id,
      accountId: row.accountId,
      subaccountId: row.subaccountId,
      to: row.to,
      parts: row.parts,
      acceptedAt: row.createdAt,
    }),
  };
}
