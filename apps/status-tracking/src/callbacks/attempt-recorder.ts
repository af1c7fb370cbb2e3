import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { callbackAttempts, callbacks } from '../db';

export interface FinishedAttempt {
  callbackId: string;
  httpStatus: number;
  error: string;
  durationMs: number;
  attempts: number;
  /** pending (retry at nextAttemptAt), delivered or failed. */
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: Date;
  finishedAt: Date | null;
}

const MAX_BATCH = 128;
const MAX_WAIT_MS = 5;

/**
 * Writes callback attempts and the callbacks' new states a few milliseconds at a time, in one
 * statement (atomic: an attempt is never recorded without its callback's new state). At
 * hundreds of callbacks a second this is the difference between one commit per callback and
 * one per batch.
 */
export class AttemptRecorder {
  private waiting: Array<{ item: FinishedAttempt; done(err?: unknown): void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {}

  record(item: FinishedAttempt): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, done: (err) => (err ? reject(err) : resolve()) });
      if (this.waiting.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    const col = <T>(pick: (a: FinishedAttempt) => T) => sql.param(batch.map((b) => pick(b.item)));
    this.db
      .execute(sql`
        with attempt as (
          insert into ${callbackAttempts} (callback_id, http_status, error, duration_ms)
          select * from unnest(${col((a) => a.callbackId)}::uuid[], ${col((a) => a.httpStatus)}::integer[], ${col((a) => a.error)}::text[], ${col((a) => a.durationMs)}::integer[])
        )
        update ${callbacks} c set attempts = t.attempts, state = t.state, next_attempt_at = t.next_at, finished_at = t.finished_at
        from unnest(${col((a) => a.callbackId)}::uuid[], ${col((a) => a.attempts)}::integer[], ${col((a) => a.state)}::text[],
          ${col((a) => a.nextAttemptAt.toISOString())}::timestamptz[], ${col((a) => a.finishedAt?.toISOString() ?? null)}::timestamptz[]) as t(id, attempts, state, next_at, finished_at)
        where c.id = t.id`)
      .then(
        () => batch.forEach((b) => b.done()),
        (err) => batch.forEach((b) => b.done(err)),
      );
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), MAX_WAIT_MS);
  }
}
