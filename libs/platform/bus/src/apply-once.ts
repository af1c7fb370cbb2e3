import type { DbOrTx, ProcessedEventsTable } from '@sabia/db';

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
