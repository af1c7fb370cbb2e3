import { sql, type SQL } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { DbOrTx, OutboxTable, ParamOrSlot, Slot } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import type { Context } from '@opentelemetry/api';
import { chunkEvents, packEvents, PACKED_HEADER, type PackedEvent } from './envelope';
import { currentTraceHeaders } from './trace-headers';

export interface OutgoingEvent {
  /** Un-namespaced subject from SUBJECTS. */
  subject: string;
  /** Encoded protobuf message. */
  payload: Uint8Array;
  /** The trace it continues; the active one when unset (a batch gives each event its own). */
  traceContext?: Context;
}

const channels = new WeakMap<OutboxTable, string>();

/**
 * The NOTIFY channel of a service's outbox. Kept per table: getTableConfig builds the whole
 * table description (columns, indexes, keys) on every call, and this is asked on every write.
 */
export function outboxChannel(table: OutboxTable): string {
  let channel = channels.get(table);
  if (channel === undefined) channels.set(table, (channel = `${getTableConfig(table).schema}_outbox`));
  return channel;
}

/** The values outboxInsertTemplate's slots take (outboxColumns gives them). */
export interface OutboxColumns extends Record<string, unknown> {
  outboxIds: string[];
  outboxSubjects: string[];
  outboxPayloads: Buffer;
  outboxStarts: number[];
  outboxLengths: number[];
  outboxHeaders: string[];
  outboxKeys: string[];
}

/**
 * The outbox INSERT as a fragment of a bigger statement built once (preparedStatement from
 * @sabia/db: one round trip for a whole accept), each column a slot that outboxColumns fills
 * with each call's events. Pair it with a pg_notify on outboxChannel(table) in the same
 * statement, or, for a statement that commits on its own, wake leadingLocalRelay(table) after
 * it when there is one (store-messages.ts). The rows are exposed with their keys (one per
 * event) as `t.key`, so the caller appends a WHERE that keeps only some: `where t.key::uuid in
 * (select id from inserted)`, the events of the rows an INSERT … ON CONFLICT DO NOTHING stored.
 */
export function outboxInsertTemplate(table: OutboxTable, slot: Slot<OutboxColumns>) {
  return insertSql(table, {
    ids: slot('outboxIds'),
    subjects: slot('outboxSubjects'),
    payloads: slot('outboxPayloads'),
    starts: slot('outboxStarts'),
    lengths: slot('outboxLengths'),
    headers: slot('outboxHeaders'),
    keys: slot('outboxKeys'),
  });
}

/** outboxInsertTemplate's values for these events, one key each. */
export function outboxColumns(events: OutgoingEvent[], keys: string[]): OutboxColumns {
  const { all, starts, lengths } = packPayloads(events.map((e) => e.payload));
  return {
    outboxIds: events.map(() => uuidv7()),
    outboxSubjects: events.map((e) => e.subject),
    outboxPayloads: all,
    outboxStarts: starts,
    outboxLengths: lengths,
    outboxHeaders: traceHeadersOf(events),
    outboxKeys: keys,
  };
}

/**
 * One event's outbox row for a statement built once, each column picked from the call's
 * `event` (no arrays for Postgres to parse and unnest: see outboxInsertTemplate for many). It
 * ends in a SELECT list, so the caller appends the FROM that decides whether the row is
 * written: `from inserted`, the one row an INSERT … ON CONFLICT DO NOTHING … RETURNING gave
 * when it stored the message.
 */
export function outboxInsertOneTemplate(table: OutboxTable, slot: Slot<{ event: OutgoingEvent }>) {
  // The row's id is made when the call's values are read, once per execution.
  const id = slot(() => uuidv7());
  const subject = slot((v) => v.event.subject);
  const payload = slot((v) => bufferOf(v.event.payload));
  const headers = slot((v) => JSON.stringify(currentTraceHeaders(v.event.traceContext)));
  return sql`
    insert into ${table} (id, subject, payload, headers)
    select ${id}::uuid, ${subject}::text, ${payload}::bytea, ${headers}::jsonb`;
}

/** Each event's trace context as stored: its own, or the one active now. */
function traceHeadersOf(events: OutgoingEvent[]): string[] {
  const active = JSON.stringify(currentTraceHeaders());
  return events.map((e) => (e.traceContext ? JSON.stringify(currentTraceHeaders(e.traceContext)) : active));
}

function insertRows(table: OutboxTable, ids: string[], subjects: string[], payloads: Uint8Array[], headers: string[]) {
  const { all, starts, lengths } = packPayloads(payloads);
  return insertSql(table, {
    ids: sql.param(ids),
    subjects: sql.param(subjects),
    payloads: sql.param(all),
    starts: sql.param(starts),
    lengths: sql.param(lengths),
    headers: sql.param(headers),
  });
}

/** The same bytes as a Buffer (pg sends Buffers as binary parameters), not a copy. */
const bufferOf = (p: Uint8Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

function packPayloads(payloads: Uint8Array[]) {
  // Every payload travels in ONE binary parameter, cut apart by offset and length. As an array
  // of bytea they travelled as hex text that Postgres parses character by character: 40 ms
  // for the 1.2 MB of a 10,000-message batch, against 4 ms this way.
  const starts: number[] = [];
  const lengths: number[] = [];
  let at = 1; // substring() counts from 1
  for (const p of payloads) {
    starts.push(at);
    lengths.push(p.byteLength);
    at += p.byteLength;
  }
  const all = Buffer.concat(payloads.map(bufferOf));
  return { all, starts, lengths };
}

function insertSql(table: OutboxTable, v: { ids: ParamOrSlot; subjects: ParamOrSlot; payloads: ParamOrSlot; starts: ParamOrSlot; lengths: ParamOrSlot; headers: ParamOrSlot; keys?: ParamOrSlot }) {
  return sql`
    insert into ${table} (id, subject, payload, headers)
    select id, subject, substring(${v.payloads}::bytea from t.start for t.len), headers::jsonb
    from unnest(${v.ids}::uuid[], ${v.subjects}::text[], ${v.starts}::integer[], ${v.lengths}::integer[], ${v.headers}::text[]
                ${v.keys ? sql`, ${v.keys}::text[]) as t(id, subject, start, len, headers, key)` : sql`) as t(id, subject, start, len, headers)`}`;
}

function singleOutboxInsert(table: OutboxTable, event: OutgoingEvent) {
  const id = uuidv7();
  return { statement: insertRows(table, [id], [event.subject], [event.payload], traceHeadersOf([event])), ids: [id] };
}

/**
 * The rows for many events: one per subject and EventBatch (up to 256 events), already packed
 * as the relay would publish them, so a transaction that announces 10,000 messages writes (and
 * the relay reads and deletes) 40 rows, not 10,000. Each event keeps its own id and trace.
 */
function packedOutboxInsert(table: OutboxTable, events: OutgoingEvent[]) {
  const active = currentTraceHeaders();
  const ids: string[] = [];
  const bySubject = new Map<string, PackedEvent[]>();
  for (const e of events) {
    const packed = { id: uuidv7(), payload: e.payload, traceHeaders: e.traceContext ? currentTraceHeaders(e.traceContext) : active };
    ids.push(packed.id);
    const list = bySubject.get(e.subject);
    if (list) list.push(packed);
    else bySubject.set(e.subject, [packed]);
  }
  const rows = [...bySubject].flatMap(([subject, list]) => chunkEvents(list).map((chunk) => ({ subject, chunk })));
  const statement = insertRows(
    table,
    rows.map(() => uuidv7()),
    rows.map((r) => r.subject),
    rows.map((r) => packEvents(r.chunk)),
    rows.map((r) => JSON.stringify({ [PACKED_HEADER]: String(r.chunk.length) })),
  );
  return { statement, ids };
}

/**
 * Writes events in the caller's transaction, so they exist exactly when the change they
 * announce does. The active trace context is stored with them; the relay continues it.
 * One statement whatever the count; more than one event are stored packed (see above).
 * Returns the event ids (what consumers see as IncomingEvent.id).
 */
export async function enqueueEvents(tx: DbOrTx, table: OutboxTable, events: OutgoingEvent[]): Promise<string[]> {
  return (await foldWrites(tx, table, [], events)).ids;
}

/**
 * Independent writes (INSERTs, UPDATEs that read nothing another of them writes) and these
 * events, in ONE statement: each write a data-modifying CTE. They all see the snapshot the
 * statement started with and none sees another's rows, so this is for writes that do not
 * depend on each other; the gain is one round trip instead of one per write. `returning`, one
 * more such write with a RETURNING clause, gives back its rows: for a caller that acts on what
 * it wrote once the transaction commits.
 */
export async function writeWithEvents<R extends Record<string, unknown>>(
  tx: DbOrTx,
  table: OutboxTable,
  writes: Array<SQL | undefined>,
  events: OutgoingEvent[],
  returning?: SQL,
): Promise<R[]> {
  return (await foldWrites<R>(tx, table, writes, events, returning)).rows;
}

async function foldWrites<R extends Record<string, unknown>>(tx: DbOrTx, table: OutboxTable, writes: Array<SQL | undefined>, events: OutgoingEvent[], returning?: SQL) {
  const parts = writes.filter((w): w is SQL => w !== undefined);
  const outbox = events.length === 0 ? undefined : events.length === 1 ? singleOutboxInsert(table, events[0]!) : packedOutboxInsert(table, events);
  if (outbox) parts.push(outbox.statement);
  if (parts.length === 0 && !returning) return { ids: [], rows: [] as R[] };
  const ctes = sql.join([...parts.map((part, i) => sql`${sql.raw(`w${i}`)} as (${part})`), ...(returning ? [sql`r as (${returning})`] : [])], sql`, `);
  // The notify wakes the relay at once instead of at its next poll (delivered only if we commit).
  const notify = outbox ? sql`pg_notify(${outboxChannel(table)}, '')` : sql`1`;
  if (!returning) {
    await tx.execute(sql`with ${ctes} select ${notify}`);
    return { ids: outbox?.ids ?? [], rows: [] as R[] };
  }
  // The left join keeps the notify's row when `returning` gave none (then one row of nulls).
  const result = await tx.execute<R>(sql`with ${ctes} select r.* from (select ${notify}) n left join r on true`);
  return { ids: outbox?.ids ?? [], rows: (result.rows as R[]).filter((row) => Object.values(row).some((v) => v !== null)) };
}
