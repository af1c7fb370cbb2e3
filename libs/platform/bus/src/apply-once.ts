import type { DbOrTx, ProcessedEventsTable } from '@sabia/db';
import { sql } from 'drizzle-orm';

/**
 * Records that `consumer` applied `eventId`, in the caller's transaction. Returns false when
 * it already had: the caller then skips the effect and just acks. Because the record and the
 * effect commit together, a redelivery can never apply an event twice.
 */
export async function applyOnce(
  tx: DbOrTx,
  table: ProcessedEventsTable,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await tx
    .insert(table)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: table.eventId });
  return inserted.length === 1;
}

/**
 * applyOnce for a batch: records every event id in one statement and returns the ids that
 * were new (the ones whose effect the caller applies now).
 */
export async function applyOnceMany(tx: DbOrTx, table: ProcessedEventsTable, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const result = await tx.execute<{ event_id: string }>(sql`
    insert into ${table} (consumer, event_id)
    select ${consumer}, id from unnest(${sql.param([...eventIds])}::text[]) as t(id)
    on conflict do nothing
    returning event_id`);
  return new Set(result.rows.map((r) => r.event_id));
}
