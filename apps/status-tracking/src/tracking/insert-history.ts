import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { statusHistory } from '../db';

export interface HistoryRow {
  messageId: string;
  accountId: string;
  /** The event the row came from; with `seq`, what makes the row unique (see status-history.ts). */
  eventId: string;
  /** 0 for the event's first row about the message, 1 for its second. */
  seq?: 0 | 1;
  level: 1 | 2;
  code: number;
  detail?: string;
  at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event id as the history's uuid: itself when it is one (the outbox's ids), else a digest of
 * it (an event published straight to JetStream is known by its Nats-Msg-Id or stream sequence).
 */
export function eventUuid(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const h = createHash('md5').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * History rows as one INSERT (undefined for no rows), to fold into a bigger statement; each
 * column one array parameter: drizzle's multi-row insert builds a parameter per cell, which at
 * thousands of rows a second costs more CPU than Postgres spends storing them. A row already
 * there (its event applied before) is skipped; `returning` names what the statement returns
 * for the rows it did insert.
 */
export function historyInsertSql(rows: HistoryRow[], returning?: SQL): SQL | undefined {
  if (rows.length === 0) return undefined;
  const col = <T>(pick: (r: HistoryRow) => T) => sql.param(rows.map(pick));
  return sql`
    insert into ${statusHistory} (message_id, event_id, seq, account_id, level, code, detail, at)
    select * from unnest(${col((r) => r.messageId)}::uuid[], ${col((r) => eventUuid(r.eventId))}::uuid[], ${col((r) => r.seq ?? 0)}::smallint[],
      ${col((r) => r.accountId)}::text[], ${col((r) => r.level)}::smallint[],
      ${col((r) => r.code)}::integer[], ${col((r) => r.detail ?? '')}::text[], ${col((r) => r.at.toISOString())}::timestamptz[])
    on conflict do nothing${returning ? sql` returning ${returning}` : sql``}`;
}
