import { eachKey, type Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { sql } from 'drizzle-orm';
import { callbacks } from '../db';
import { ConnectionPool } from '@sabia/webhooks';
import { AttemptRecorder } from './attempt-recorder';
import { deliverCallback, type DeliveryOptions } from './deliver-callback';
import type { CallbackHandOff } from './callback-handoff';
import { toCallbackRow, type CallbackRow } from './callback-row';
import { unfinishedBefore } from './enqueue-callback';

const BATCH = 128;
const IDLE_POLL_MS = 200;
const SWEEP_MS = 2_000;
/** How often every waiting callback is looked at, not only those of recently finished messages. */
const FULL_SWEEP_MS = 60_000;

/**
 * Delivers due callbacks (a message's status callbacks one after the other: the next waits
 * until the one before finishes, see enqueue-callback.ts). Rows are leased (next_attempt_at
 * pushed past the timeout), so any number of status-tracking replicas share the work and a
 * replica that dies mid-delivery only delays its callbacks until the lease ends.
 *
 * Two ways in. New callbacks, and the ones a finished callback lets go, are written already
 * leased to this process and handed over in memory (`handOff`): no statement has to find them
 * again. Their lease is two of a claim's: one to wait in memory, one to be delivered in, so a
 * handed-over callback starts with at least a claim's lease left (counted from before the
 * statement that leased it), or not at all: then it is left to the claim after its lease
 * (receivers slowed to their timeouts), never started twice and never lost. Only a few are
 * queued in memory (four times the concurrency: a second or so of work); when that queue is
 * full, new callbacks are written due at once, and claimed. Retries, and whatever another
 * process left behind, are claimed off the due index with FOR UPDATE SKIP LOCKED. Stopping
 * gives the queued ones back at once.
 */
export function startCallbackWorker(db: Db, logger: Logger, options: Omit<DeliveryOptions, 'pool' | 'recorder'> & { concurrency: number }) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const leaseMs = options.timeoutMs * 2 + 5_000;
  const pool = new ConnectionPool();
  const handed: Array<{ row: CallbackRow; startBy: number }> = [];
  const handOff: CallbackHandOff = {
    leaseMs: 2 * leaseMs,
    room: () => (stopped ? 0 : Math.max(0, options.concurrency * 4 - inFlight.size - handed.length)),
    take(rows, since) {
      const startBy = since + leaseMs;
      for (const row of rows) handed.push({ row, startBy });
      wake?.();
    },
  };
  const delivery = { ...options, pool, recorder: new AttemptRecorder(db, handOff) };

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
  // then (see enqueue-callback.ts): let it go now. Such a race needs a finish, so every
  // SWEEP_MS the messages this process finished a status callback of in the last two rounds
  // are looked at again (their waiting rows, by index); every waiting row only every
  // FULL_SWEEP_MS (and at start), for finishes this process did not see: another replica's
  // that died before its own sweep. The whole sweep read every waiting row and probed its
  // message's queue: under a backlog of 100,000 messages, 50 ms every 2 s (5 % of Postgres).
  const release = (messageIds?: string[]) => {
    // Those messages' waiting rows by index, per message (eachKey), whatever the statistics say.
    const of = messageIds
      ? sql` and w.id in (select x.id from ${eachKey(
          sql`unnest(${sql.param(messageIds)}::uuid[]) as k(id)`,
          sql`select id from ${callbacks} where message_id = k.id and state = 'waiting'`,
          'x',
        )})`
      : sql``;
    return db.execute(sql`
      update ${callbacks} w set state = 'pending', next_attempt_at = now()
      where w.state = 'waiting'${of} and not (${unfinishedBefore(sql`w.message_id`, sql`w.id`)})`);
  };
  let lastFull = -Infinity;
  let previous: string[] = [];
  const sweep = async () => {
    const recent = delivery.recorder.takeFinished();
    const ids = [...new Set([...previous, ...recent])];
    previous = recent;
    if (performance.now() - lastFull >= FULL_SWEEP_MS) {
      lastFull = performance.now();
      await release();
    } else if (ids.length > 0) await release(ids);
  };
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

  const start = (cb: CallbackRow) => {
    const run = deliverCallback(db, cb, delivery)
      .then((verdict) => logger.debug({ callbackId: cb.id, verdict }, 'callback attempt'))
      .catch((err) => logger.error({ err, callbackId: cb.id }, 'callback attempt crashed; it will be retried after its lease'))
      .finally(() => {
        inFlight.delete(run);
        wake?.();
      });
    inFlight.add(run);
  };

  const loop = async () => {
    const chunk = Math.min(BATCH, options.concurrency);
    let claimAfter = 0;
    while (!stopped) {
      while (handed.length > 0 && inFlight.size < options.concurrency) {
        const { row, startBy } = handed.shift()!;
        if (performance.now() <= startBy) start(row);
      }
      const room = options.concurrency - inFlight.size;
      let claimed = 0;
      // Claim in chunks, not one row per finished callback: a claim is a statement. One that
      // comes back short means nothing more is due: the next looks at the next poll, however
      // often callbacks finish meanwhile (new ones arrive by hand-off, not by claim).
      if (performance.now() >= claimAfter && (room >= chunk / 4 || inFlight.size === 0)) {
        const limit = Math.min(room, BATCH);
        let rows: CallbackRow[] = [];
        try {
          rows = await claim(limit);
        } catch (err) {
          // Leased rows that were not read come back when their lease ends.
          logger.warn({ err }, 'could not claim callbacks; retrying');
        }
        for (const cb of rows) start(cb);
        claimed = rows.length;
        if (claimed < limit) claimAfter = performance.now() + IDLE_POLL_MS;
      }
      const busy = options.concurrency - inFlight.size < chunk / 4;
      if (claimed > 0 && !busy) continue;
      // Until the next claim is due, or a callback finishes or is handed over (wake).
      const untilClaim = claimAfter - performance.now();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, untilClaim > 0 ? untilClaim : IDLE_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    }
  };
  const running = loop();

  return {
    handOff,
    async stop() {
      stopped = true;
      wake?.();
      stopSweepWait();
      await Promise.all([running, sweeping]);
      // Handed-over callbacks not started: due again now, for the next worker, instead of at
      // the end of their lease (only those whose lease is surely still ours).
      const mine = handed.filter((h) => performance.now() < h.startBy).map((h) => h.row.id);
      handed.length = 0;
      if (mine.length > 0) {
        await db
          .execute(sql`update ${callbacks} set next_attempt_at = now() where id = any(${sql.param(mine)}::uuid[]) and state = 'pending'`)
          .catch((err) => logger.warn({ err, count: mine.length }, 'could not give back queued callbacks; they are due when their lease ends'));
      }
      await Promise.allSettled([...inFlight]);
      pool.close();
    },
  };
}
