import type { Tx } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { messages } from './messages';

export type MessageInsert = typeof messages.$inferInsert & { state: string; createdAt: Date };

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
export function insertMessagesSql(rows: MessageInsert[]) {
  const col = <T>(pick: (r: MessageInsert) => T) => sql.param(rows.map(pick));
  return sql`
    insert into ${messages} (id, account_id, subaccount_id, user_id, "to", text, encoding, parts, state,
      sent_status, refusal_reason, correlation_id, callback_url, idempotency_key, request_hash, trace_id,
      batch_id, batch_index, expires_at, created_at, carrier, refusal_delivered_status)
    select * from unnest(
      ${col((r) => r.id)}::uuid[], ${col((r) => r.accountId)}::text[], ${col((r) => r.subaccountId)}::text[],
      ${col((r) => r.userId)}::text[], ${col((r) => r.to)}::text[], ${col((r) => r.text)}::text[],
      ${col((r) => r.encoding)}::text[], ${col((r) => r.parts)}::smallint[], ${col((r) => r.state)}::text[],
      ${col((r) => r.sentStatus ?? null)}::integer[], ${col((r) => r.refusalReason ?? null)}::text[],
      ${col((r) => r.correlationId ?? '')}::text[], ${col((r) => r.callbackUrl ?? '')}::text[],
      ${col((r) => r.idempotencyKey)}::text[], ${col((r) => r.requestHash)}::text[], ${col((r) => r.traceId ?? '')}::text[],
      ${col((r) => r.batchId ?? null)}::uuid[], ${col((r) => r.batchIndex ?? null)}::integer[],
      ${col((r) => r.expiresAt?.toISOString() ?? null)}::timestamptz[], ${col((r) => r.createdAt.toISOString())}::timestamptz[],
      ${col((r) => r.carrier ?? null)}::text[], ${col((r) => r.refusalDeliveredStatus ?? null)}::integer[])`;
}
