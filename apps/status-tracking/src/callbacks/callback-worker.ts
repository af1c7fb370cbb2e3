import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { sql } from 'drizzle-orm';
import { callbacks } from '../db';
import { ConnectionPool } from '@sabia/webhooks';
import { AttemptRecorder } from './attempt-recorder';
import { deliverCallback, type DeliveryOptions } from './deliver-callback';
import { unfinishedBefore } from './enqueue-callback';

const BATCH = 128;
const IDLE_POLL_MS = 200;
const SWEEP_MS = 2_000;

/**
 * Delivers due callbacks (a message's status callbacks one after the other: the next waits
 * until the one before finishes, see enqueue-callback.ts). Rows are leased (next_attempt_at pushed past the timeout) with
 * FOR UPDATE SKIP LOCKED, so any number of status-tracking replicas share the work and a
 * replica that dies mid-delivery only delays its callbacks until the lease ends.
 */
export function startCallbackWorker(db: Db, logger: Logger, options: Omit<DeliveryOptions, 'pool' | 'recorder'> & { concurrency: number }) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const leaseMs = options.timeoutMs * 2 + 5_000;
  const pool = new ConnectionPool();
  const delivery = { ...options, pool, recorder: new AttemptRecorder(db) };

  const claim = async (limit: number) => {
    const result = await db.execute<Record<string, unknown>>(sql`
      update ${callbacks} set next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
      where id in (
        select id from ${callbacks}
        where state = 'pending' and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning *`);
    return result.rows.map(toCallbackRow);
  };

  // A waiting callback whose predecessor finished while it was being written was not let go
  // then (see enqueue-callback.ts): let it go now. Cheap: it reads only the waiting rows.
  const sweep = () =>
    db.execute(sql`
      update ${callbacks} w set state = 'pending', next_attempt_at = now()
      where w.state = 'waiting' and not (${unfinishedBefore(sql`w.message_id`, sql`w.id`)})`);
  let stopSweepWait = () => {};
  const sweeping = (async () => {
    while (!stopped) {
      await sweep().catch((err) => logger.warn({ err }, 'could not release waiting callbacks; retrying'));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SWEEP_MS);
        stopSweepWait = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  const loop = async () => {
    while (!stopped) {
      const room = options.concurrency - inFlight.size;
      let rows: Array<typeof callbacks.$inferSelect> = [];
      // Claim in chunks, not one row per finished callback: a claim is a statement.
      if (room >= Math.min(BATCH, options.concurrency) / 4 || inFlight.size === 0) {
        try {
          rows = await claim(Math.min(room, BATCH));
        } catch (err) {
          // Leased rows that were not read come back when their lease ends.
          logger.warn({ err }, 'could not claim callbacks; retrying');
        }
      }
      for (const cb of rows) {
        const run = deliverCallback(db, cb, delivery)
          .then((verdict) => logger.debug({ callbackId: cb.id, verdict }, 'callback attempt'))
          .catch((err) => logger.error({ err, callbackId: cb.id }, 'callback attempt crashed; it will be retried after its lease'))
          .finally(() => {
            inFlight.delete(run);
            wake?.();
          });
        inFlight.add(run);
      }
      if (rows.length === 0 || options.concurrency - inFlight.size < Math.min(BATCH, options.concurrency) / 4) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
      }
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      wake?.();
      stopSweepWait();
      await Promise.all([running, sweeping]);
      await Promise.allSettled([...inFlight]);
      pool.close();
    },
  };
}

/** A raw callbacks row (from RETURNING *) as drizzle would give it. */
function toCallbackRow(r: Record<string, unknown>): typeof callbacks.$inferSelect {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    subaccountId: String(r.subaccount_id),
    messageId: String(r.message_id),
    type: String(r.type),
    url: String(r.url),
    payload: String(r.payload),
    state: String(r.state),
    attempts: Number(r.attempts),
    nextAttemptAt: date(r.next_attempt_at)!,
    createdAt: date(r.created_at)!,
    finishedAt: date(r.finished_at),
  };
}
