import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { startSweeper } from '@sabia/runtime';
import { sql } from 'drizzle-orm';
import { transfers } from '../db';
import { settleMessages } from './settle';

const BATCH = 1_000;

/**
 * Voids reservations whose carrier answer never came within their timeout (PENDING_TIMEOUT_HOURS,
 * 72 h by default: longer than any message's validity and the dispatcher's retries, so a real
 * answer always comes before it). An answer arriving after the void changes nothing: the void
 * was the part's one settlement, so a late SENT_SUCCESS is never billed. Returns parts voided.
 */
export async function voidExpiredPendings(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ message_id: string }>(sql`
      select distinct p.message_id from ${transfers} p
      where p.kind = 'pending' and p.timeout_at < ${now.toISOString()}::timestamptz
        and not exists (select 1 from ${transfers} s where s.pending_id = p.id)
      limit ${BATCH}`);
    return settleMessages(tx, new Map(expired.rows.map((r) => [r.message_id, 'void' as const])), { timedOut: true });
  });
}

/** Runs voidExpiredPendings every `everyMs` (and again at once while it finds a full batch). */
export function startPendingSweeper(db: Db, logger: Logger, everyMs = 60_000) {
  return startSweeper({
    sweep: () => voidExpiredPendings(db),
    everyMs,
    again: (parts) => parts >= BATCH,
    onResult: (parts) => {
      if (parts > 0) logger.warn({ parts }, 'voided reservations whose carrier answer never came');
    },
    onError: (err) => logger.error({ err }, 'pending sweeper failed; will retry'),
  });
}
