import type { DbOrTx, ProcessedEventsTable } from '@sabia/db';
import type { Logger } from '@sabia/logger';
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

/** Prunes every `everyMs` (first a minute after start, out of the way of a busy boot). */
export function startProcessedEventsPruner(db: DbOrTx, table: ProcessedEventsTable, logger: Logger, everyMs = 3600_000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = pruneProcessedEvents(db, table)
      .then((deleted) => {
        if (deleted > 0) logger.info({ deleted }, 'pruned records of events applied before the streams’ retention');
      })
      .catch((err) => logger.warn({ err }, 'pruning processed events failed; next round retries'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs).unref();
      });
  };
  timer = setTimeout(tick, Math.min(everyMs, 60_000)).unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
