import { executePrepared, type Db } from '@sabia/db';
import { MicroBatcher } from '@sabia/runtime';
import { sql } from 'drizzle-orm';
import { callbackAttempts, callbacks } from '../db';
import type { CallbackHandOff } from './callback-handoff';
import { CALLBACK_ROW_COLUMNS, toCallbackRow } from './callback-row';

export interface FinishedAttempt {
  callbackId: string;
  /** The callback's message, and whether it is a status callback (one that may let the next go). */
  messageId: string;
  statusCallback: boolean;
  httpStatus: number;
  error: string;
  durationMs: number;
  attempts: number;
  /** pending (retry at nextAttemptAt), delivered or failed. */
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: Date;
  finishedAt: Date | null;
}

/**
 * Writes callback attempts and the callbacks' new states a few milliseconds at a time, in one
 * statement (atomic: an attempt is never recorded without its callback's new state). At
 * hundreds of callbacks a second this is the difference between one commit per callback and
 * one per batch. The attempt goes on the callback's row (last_*), which the new state updates
 * anyway; the one it follows, if any, moves to callback_attempts.
 */
export class AttemptRecorder extends MicroBatcher<FinishedAttempt, void> {
  /** Messages whose status callback finished since the worker last asked (takeFinished). */
  private finished = new Set<string>();

  /**
   * With `handOff`, a callback let go by a finished one (its message's next) is leased to this
   * process and handed to its worker, like a new one (see enqueue-callback.ts).
   */
  constructor(db: Db, handOff?: CallbackHandOff) {
    super(
      async (attempts) => {
        const done = await recordAttempts(db, attempts, handOff);
        for (const a of attempts) if (a.statusCallback && a.state !== 'pending') this.finished.add(a.messageId);
        return done;
      },
      { maxBatch: 128, maxWaitMs: 5 },
    );
  }

  record(item: FinishedAttempt): Promise<void> {
    return this.add(item);
  }

  /**
   * The messages whose status callback this recorder finished since the last call: the ones
   * whose next callback a racing insert may have left waiting (see callback-worker.ts).
   */
  takeFinished(): string[] {
    const ids = [...this.finished];
    this.finished = new Set();
    return ids;
  }
}

async function recordAttempts(db: Db, batch: FinishedAttempt[], handOff?: CallbackHandOff): Promise<void[]> {
  // Leased to the hand-off when it has room for all it could be given (one per finished one).
  const leased = handOff !== undefined && handOff.room() >= batch.length;
  // Prepared: of its 3 ms a call, planning was half a millisecond (pg_stat_statements).
  const since = performance.now();
  const released = await executePrepared<Record<string, unknown>>(db, 'status_record_attempts', recordAttemptsSql(batch, leased ? handOff.leaseMs : 0));
  if (leased && released.rows.length > 0) handOff.take(released.rows.map(toCallbackRow), since);
  return batch.map(() => undefined);
}

/**
 * The recorder's statement: these attempts, their callbacks' new states, and the next callback
 * of each finished one's message let go (leased for `leaseMs`, or due at once with 0).
 * Exported for a test of its plan.
 */
export function recordAttemptsSql(batch: FinishedAttempt[], leaseMs: number) {
  const col = <T>(pick: (a: FinishedAttempt) => T) => sql.param(batch.map(pick));
  // A finished status callback lets the next one of its message go (see enqueue-callback.ts);
  // a reply's callback shares the message id but is outside that order.
  return sql`
    with earlier as (${earlierAttemptsInsert(batch.map((a) => a.callbackId))}
    ), done as (
      update ${callbacks} c set attempts = t.attempts, state = t.state, next_attempt_at = t.next_at, finished_at = t.finished_at,
        last_attempt_at = now(), last_http_status = t.http_status, last_error = t.error, last_duration_ms = t.duration_ms
      from unnest(${col((a) => a.callbackId)}::uuid[], ${col((a) => a.attempts)}::integer[], ${col((a) => a.state)}::text[],
        ${col((a) => a.nextAttemptAt.toISOString())}::timestamptz[], ${col((a) => a.finishedAt?.toISOString() ?? null)}::timestamptz[],
        ${col((a) => a.httpStatus)}::integer[], ${col((a) => a.error)}::text[], ${col((a) => a.durationMs)}::integer[])
        as t(id, attempts, state, next_at, finished_at, http_status, error, duration_ms)
      where c.id = t.id and ${NOT_DISABLED}
      returning c.message_id, c.state, c.type
    )
    update ${callbacks} w set state = 'pending', next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
    where w.id in (
      select (select e.id from ${callbacks} e where e.message_id = d.message_id and e.state = 'waiting' order by e.id limit 1)
      from done d where d.state <> 'pending' and d.type <> 'message.reply')
    and ${STILL_WAITING}
    returning ${RELEASED_COLUMNS}`;
}

/**
 * Re-checks on the rows these statements write, phrased so that they never match the partial
 * indexes' predicates (`state = 'pending'`, `state = 'waiting'`): with `c.state = 'pending'` the
 * prepared statement's generic plan ANDed a scan of the whole due index (every pending entry,
 * dead ones too) into each call (284 index rows read per message in bench:e2e). A callback
 * being delivered is pending, so "not disabled" (another replica's 410 meanwhile) is the check;
 * a released one must still be waiting (not let go by the sweep or another batch meanwhile).
 */
const NOT_DISABLED = sql.raw(`c.state <> 'disabled'`);
const STILL_WAITING = sql.raw(`w.state not in ('pending', 'delivered', 'failed', 'disabled')`);

/**
 * What the release returns, named: a prepared statement returning `*` fails on every
 * connection ("cached plan must not change result type") once a migration adds a column
 * while this version still runs.
 */
const RELEASED_COLUMNS = sql.raw(CALLBACK_ROW_COLUMNS.map((c) => `w.${c}`).join(', '));

/**
 * Moves the latest attempt of these callbacks (uuid[]) from their rows to callback_attempts, for
 * a statement that records a new one in its place. Reads the rows as they were before that
 * statement's update (both see the statement's snapshot); like that update, it leaves alone a
 * callback whose endpoint another replica disabled meanwhile.
 */
export function earlierAttemptsInsert(callbackIds: string[]) {
  return sql`
    insert into ${callbackAttempts} (callback_id, at, http_status, error, duration_ms)
    select c.id, c.last_attempt_at, c.last_http_status, coalesce(c.last_error, ''), c.last_duration_ms
    from ${callbacks} c where c.id = any(${sql.param(callbackIds)}::uuid[]) and ${NOT_DISABLED} and c.last_attempt_at is not null`;
}
