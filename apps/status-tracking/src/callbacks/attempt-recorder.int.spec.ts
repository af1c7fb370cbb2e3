import { uuidv7 } from '@sabia/db';
import { migratedDatabase, preparedPlan } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAttemptsSql, type FinishedAttempt } from './attempt-recorder';

// The recorder runs a few times a second per replica, as a prepared statement: its plan must
// look callbacks up by id, whatever the queue holds. A version that re-checked
// `state = 'pending'` got a generic plan that read the whole due index (every pending entry,
// and the dead ones) on each call: 284 index rows read per message in bench:e2e.
let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
  // A queue as a busy replica's between two autovacuum runs: 30,000 callbacks owed, most of
  // them delivered since (their due-index entries dead), none seen by ANALYZE yet.
  await database.db.execute(sql`
    insert into status.callbacks (id, account_id, subaccount_id, message_id, type, url, payload, state, next_attempt_at)
    select gen_random_uuid(), 'acme', 'main', gen_random_uuid(), 'message.sent', 'https://example.com/hook', repeat('x', 400),
      case when g % 10 = 0 then 'waiting' else 'pending' end, now() + interval '30 seconds'
    from generate_series(1, 30000) g`);
  await database.db.execute(sql`update status.callbacks set state = 'delivered' where state = 'pending' and random() < 0.7`);
});
afterAll(() => database.drop());

const attempt = (): FinishedAttempt => ({
  callbackId: uuidv7(), messageId: uuidv7(), statusCallback: true, httpStatus: 204, error: '', durationMs: 3, attempts: 1, state: 'delivered', nextAttemptAt: new Date(), finishedAt: new Date(),
});

describe('the attempt recorder statement', () => {
  it('finds callbacks by id, never by scanning a partial index of the queue, custom or generic', async () => {
    const batch = Array.from({ length: 40 }, attempt);
    for (const mode of ['custom', 'generic'] as const) {
      const plan = await preparedPlan(database.db, recordAttemptsSql(batch, 30_000), mode);
      expect(plan, mode).not.toMatch(/callbacks_due_idx|BitmapAnd|Seq Scan on callbacks/);
      expect(plan, mode).toMatch(/callbacks_pkey/);
    }
  });
});
