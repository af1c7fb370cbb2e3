import type { ParamOrSlot, Slot, Tx } from '@sabia/db';
import { sql, type SQL } from 'drizzle-orm';
import { messages } from './messages';

export type MessageInsert = typeof messages.$inferInsert & { state: string; createdAt: Date };

/** Each column an insert writes: its name in SQL, its type as an array, and the row's value. */
const COLUMNS: ReadonlyArray<{ name: string; type: string; value: (r: MessageInsert) => unknown }> = [
  { name: 'id', type: 'uuid', value: (r) => r.id },
  { name: 'account_id', type: 'text', value: (r) => r.accountId },
  { name: 'subaccount_id', type: 'text', value: (r) => r.subaccountId },
  { name: 'user_id', type: 'text', value: (r) => r.userId },
  { name: '"to"', type: 'text', value: (r) => r.to },
  { name: 'text', type: 'text', value: (r) => r.text },
  { name: 'encoding', type: 'text', value: (r) => r.encoding },
  { name: 'parts', type: 'smallint', value: (r) => r.parts },
  { name: 'state', type: 'text', value: (r) => r.state },
  { name: 'sent_status', type: 'integer', value: (r) => r.sentStatus ?? null },
  { name: 'refusal_reason', type: 'text', value: (r) => r.refusalReason ?? null },
  { name: 'correlation_id', type: 'text', value: (r) => r.correlationId ?? '' },
  { name: 'callback_url', type: 'text', value: (r) => r.callbackUrl ?? '' },
  { name: 'idempotency_key', type: 'text', value: (r) => r.idempotencyKey },
  { name: 'request_hash', type: 'text', value: (r) => r.requestHash },
  { name: 'trace_id', type: 'text', value: (r) => r.traceId ?? '' },
  { name: 'batch_id', type: 'uuid', value: (r) => r.batchId ?? null },
  { name: 'batch_index', type: 'integer', value: (r) => r.batchIndex ?? null },
  { name: 'expires_at', type: 'timestamptz', value: (r) => r.expiresAt?.toISOString() ?? null },
  { name: 'created_at', type: 'timestamptz', value: (r) => r.createdAt.toISOString() },
  { name: 'carrier', type: 'text', value: (r) => r.carrier ?? null },
  { name: 'refusal_delivered_status', type: 'integer', value: (r) => r.refusalDeliveredStatus ?? null },
];

/** The columns every insert names, in COLUMNS' order. */
const COLUMN_LIST = sql.raw(COLUMNS.map((c) => c.name).join(', '));

/** Each column's slot name in insertMessagesTemplate, made once (not a new string per column on every call). */
const SLOTS = COLUMNS.map((_, i) => `m${i}` as const);

/**
 * Inserts many messages in one statement, each column as one array parameter through unnest.
 * drizzle's multi-row insert builds a parameter per cell, which costs more CPU than Postgres
 * spends storing the rows; this keeps a 10,000-recipient batch to one round trip.
 */
export async function insertMessages(tx: Tx, rows: MessageInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(insertMessagesSql(rows));
}

/** The INSERT itself, for callers that fold it into a bigger statement. */
export function insertMessagesSql(rows: MessageInsert[]): SQL {
  return insertSql((column) => sql.param(rows.map(column.value)));
}

/** The values insertMessagesTemplate's slots take for these rows. */
export type MessageColumns = Record<`m${number}`, unknown[]>;

/** The same INSERT for a statement built once (preparedStatement): column i is the slot `m<i>`. */
export function insertMessagesTemplate(slot: Slot<MessageColumns>): SQL {
  return insertSql((_, i) => slot(SLOTS[i]!));
}

/** insertMessagesTemplate's values for these rows. */
export function messageColumns(rows: MessageInsert[]): MessageColumns {
  const values: MessageColumns = {};
  for (let i = 0; i < COLUMNS.length; i++) values[SLOTS[i]!] = rows.map(COLUMNS[i]!.value);
  return values;
}

/**
 * One message's INSERT for a statement built once: a plain VALUES row, each column picked from
 * the call's `message`. A single send stores through this, not through the arrays: for one row,
 * Postgres spent more on parsing and unnesting 22 one-element array literals than on the row
 * (SendSms's store took 160-171 µs inside Postgres that way, 94-97 µs this way, on the test VM).
 */
export function insertMessageTemplate(slot: Slot<{ message: MessageInsert }>): SQL {
  return sql`
    insert into ${messages} (${COLUMN_LIST})
    values (${sql.join(
      COLUMNS.map((c) => sql`${slot((v) => c.value(v.message))}::${sql.raw(c.type)}`),
      sql`, `,
    )})`;
}

function insertSql(valuesOf: (column: (typeof COLUMNS)[number], index: number) => ParamOrSlot): SQL {
  return sql`
    insert into ${messages} (${COLUMN_LIST})
    select * from unnest(${sql.join(
      COLUMNS.map((c, i) => sql`${valuesOf(c, i)}::${sql.raw(c.type)}[]`),
      sql`, `,
    )})`;
}
