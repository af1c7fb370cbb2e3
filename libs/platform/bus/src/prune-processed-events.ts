import type { DbOrTx, ProcessedEventsTable } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { STREAM_MAX_AGE_MS } from './setup';

/**
 * How long a consumer remembers the events it applied: a day longer than a stream keeps them,
 * so no event can be delivered again after its record is gone.
 */
export const PROCESSED_EVENTS_RETENTION_MS = STREAM_MAX_AGE_MS + 24 * 3600_000;

const CHUNK = 10_000;

/**
 * Deletes the records of events applied longer ago than the retention, a chunk per statement
 * (short transactions: consumers insert into the same table meanwhile). Without it the table
 * grows by a row per event for ever. Returns how many it deleted.
 */
export async function pruneProcessedEvents(db: DbOrTx, table: ProcessedEventsTable, retentionMs = PROCESSED_EVENTS_RETENTION_MS): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.execute(sql`
      delete from ${table} where ctid = any(array(
        select ctid from ${table} where processed_at < now() - make_interval(secs => ${retentionMs / 1000}) limit ${CHUNK}))`);
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < CHUNK) return deleted;
  }
}
