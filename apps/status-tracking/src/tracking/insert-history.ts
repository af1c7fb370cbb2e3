import { sql, type SQL } from 'drizzle-orm';
import { statusHistory } from '../db';

export interface HistoryRow {
  messageId: string;
  accountId: string;
  level: 1 | 2;
  code: number;
  detail?: string;
  at: Date;
}

/**
 * History rows as one INSERT (undefined for no rows), to fold into a bigger statement; each
 * column one array parameter: drizzle's multi-row insert builds a parameter per cell, which at
 * thousands of rows a second costs more CPU than Postgres spends storing them.
 */
export function historyInsertSql(rows: HistoryRow[]): SQL | undefined {
  if (rows.length === 0) return undefined;
  const col = <T>(pick: (r: HistoryRow) => T) => sql.param(rows.map(pick));
  return sql`
    insert into ${statusHistory} (message_id, account_id, level, code, detail, at)
    select * from unnest(${col((r) => r.messageId)}::uuid[], ${col((r) => r.accountId)}::text[], ${col((r) => r.level)}::smallint[],
      ${col((r) => r.code)}::integer[], ${col((r) => r.detail ?? '')}::text[], ${col((r) => r.at.toISOString())}::timestamptz[])`;
}
