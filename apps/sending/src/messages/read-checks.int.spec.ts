import type { UserPrincipal } from '@sabia/auth';
import { migratedDatabase, preparedPlan } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksSql, readChecksMany } from './read-checks';

// SendSms's checks read a few index entries per call, however big sending.messages is and
// however stale its statistics: a plan that reads the whole table (a hashed subplan) made every
// few checks cost a full scan of it.
let database: Awaited<ReturnType<typeof migratedDatabase>>;
/** The generic plans of one query and of many, made while messages was still empty. */
let emptyTablePlans: string[];

const principal: UserPrincipal = { kind: 'user', accountId: 'acme', subaccountId: 'main', userId: 'ana', role: 'administrador' };
const queries = Array.from({ length: 50 }, (_, i) => ({ principal, idempotencyKey: `k-${i * 7}`, to: `+5511987${String(i).padStart(6, '0')}` }));

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'));
  // A service's connections make their plans in its first seconds, maybe on a new database.
  emptyTablePlans = await Promise.all([queries.slice(0, 1), queries].map((batch) => preparedPlan(database.db, checksSql(batch), 'generic')));
  // 2,000 messages that no ANALYZE has seen yet: a young database, as in the first minutes of
  // a benchmark, when a burst of 50 checks once made the planner hash all of messages.
  await database.db.execute(sql`
    insert into sending.messages (id, account_id, subaccount_id, user_id, "to", text, encoding, parts, state, idempotency_key, request_hash)
    select gen_random_uuid(), 'acme', 'main', 'ana', '+55119' || lpad(g::text, 8, '0'), 'x', 'gsm7', 1, 'accepted', 'k-' || g, 'h'
    from generate_series(1, 2000) g`);
});
afterAll(() => database.drop());

describe('SendSms checks', () => {
  it('probe indexes per call and never read a whole table, with statistics that predate the rows', async () => {
    // Both plans Postgres may run a prepared statement with: one for these values (custom), and
    // the one for any values (generic), which it switches to when it looks no dearer.
    // One query (scalar parameters) and many (arrays) are two statements.
    const plans = [...emptyTablePlans];
    for (const batch of [queries.slice(0, 1), queries]) {
      for (const mode of ['custom', 'generic'] as const) plans.push(await preparedPlan(database.db, checksSql(batch), mode));
    }
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on messages|hashed SubPlan/);
      expect(plan).toMatch(/Index (Only )?Scan using messages_idempotency_uq/);
    }
  });

  it('plan one query once per connection, not on every call', async () => {
    // Planning the checks costs more than running them. Postgres keeps a prepared statement's
    // generic plan only when it looks no dearer than one made for the values at hand.
    const costOf = async (mode: 'custom' | 'generic') => Number(/cost=[\d.]+\.\.([\d.]+)/.exec(await preparedPlan(database.db, checksSql(queries.slice(0, 1)), mode))![1]);
    expect(await costOf('generic')).toBeLessThanOrEqual(await costOf('custom'));
  });

  it('find the keys already used, in the order asked', async () => {
    const checks = await readChecksMany(database.db, queries);
    expect(checks.map((c) => c.replay)).toEqual(queries.map((q) => Number(q.idempotencyKey.slice(2)) >= 1 && Number(q.idempotencyKey.slice(2)) <= 2000));
    const [used] = await readChecksMany(database.db, [queries[1]!]);
    const [unused] = await readChecksMany(database.db, [{ ...queries[1]!, idempotencyKey: 'never-used' }]);
    expect([used!.replay, unused!.replay]).toEqual([true, false]);
  });
});
