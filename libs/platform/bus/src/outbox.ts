import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { DbOrTx, OutboxTable } from '@sabia/db';
import type { Context } from '@opentelemetry/api';
import { v7 as uuidv7 } from 'uuid';
import { currentTraceHeaders } from './trace-headers';

export interface OutgoingEvent {
  /** Un-namespaced subject from SUBJECTS. */
  subject: string;
  /** Encoded protobuf message. */
  payload: Uint8Array;
  /** The trace it continues; the active one when unset (a batch gives each event its own). */
  traceContext?: Context;
}

export const outboxChannel = (table: OutboxTable) => `${getTableConfig(table).schema}_outbox`;

/**
 * The outbox INSERT for these events as a statement fragment, for callers that fold it into a
 * bigger statement (one round trip for a whole accept). Pair it with a pg_notify on
 * outboxChannel(table) in the same statement.
 */
export function outboxInsertSql(table: OutboxTable, events: OutgoingEvent[]) {
  return outboxInsert(table, events).statement;
}

function outboxInsert(table: OutboxTable, events: OutgoingEvent[]) {
  const ids = events.map(() => uuidv7());
  const active = JSON.stringify(currentTraceHeaders());
  const headers = events.map((e) => (e.traceContext ? JSON.stringify(currentTraceHeaders(e.traceContext)) : active));
  const statement = sql`
    insert into ${table} (id, subject, payload, headers)
    select id, subject, payload, headers::jsonb
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(events.map((e) => e.subject))}::text[],
                ${sql.param(events.map((e) => Buffer.from(e.payload)))}::bytea[], ${sql.param(headers)}::text[]) as t(id, subject, payload, headers)`;
  return { statement, ids };
}

/**
 * Writes events in the caller's transaction, so they exist exactly when the change they
 * announce does. The active trace context is stored with them; the relay continues it.
 * One statement whatever the count (arrays through unnest: a batch of 10,000 events is one
 * round trip and no per-row query building). Returns the event ids (also their Nats-Msg-Id).
 */
export async function enqueueEvents(tx: DbOrTx, table: OutboxTable, events: OutgoingEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const { statement, ids } = outboxInsert(table, events);
  // The notify wakes the relay at once instead of at its next poll (delivered only if we
  // commit); it rides in the same statement, so enqueueing costs one round trip.
  await tx.execute(sql`
    with inserted as (${statement} returning 1)
    select pg_notify(${outboxChannel(table)}, '') from (select count(*) from inserted) n`);
  return ids;
}
