// Model-based test (fast-check): random sequences of top-ups, reservations (some 50 at once),
// posts and voids run against the real ledger on Postgres and against a tiny in-memory model;
// after every step the balances must agree and the prepaid balance must never be negative.
import { migratedDatabase } from '@sabia/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from './get-balance';
import { reserve } from './reserve';
import { settleMessage } from './settle';
import { topUp } from './top-up';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'), 60);
});
afterAll(() => database.drop());

const PRICE = 5n;

interface Model {
  available: bigint;
  pending: Map<string, bigint>; // message → reserved amount, not settled
}
interface Real {
  tenant: string;
}

const check = async (m: Model, r: Real) => {
  const balance = await getBalance(database.db, r.tenant, 'BRL');
  const pending = [...m.pending.values()].reduce((a, b) => a + b, 0n);
  expect(balance).toEqual({ available: m.available, pending, currency: 'BRL' });
  expect(balance.available).toBeGreaterThanOrEqual(0n);
};

class TopUp implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: bigint) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await topUp(database.db, { tenantId: r.tenant, amount: this.amount, currency: 'BRL', idempotencyKey: randomUUID() });
    m.available += this.amount;
    await check(m, r);
  }
  toString = () => `TopUp(${this.amount})`;
}

class ReserveMany implements fc.AsyncCommand<Model, Real> {
  constructor(readonly senders: number, readonly parts: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const ids = Array.from({ length: this.senders }, () => randomUUID());
    const outcomes = await Promise.all(
      ids.map((messageId) =>
        reserve(database.db, { tenantId: r.tenant, messageId, parts: this.parts, partPrice: PRICE, priceId: 'm', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) }),
      ),
    );
    const cost = PRICE * BigInt(this.parts);
    // Which senders win is the race's choice; how many is not.
    const expectedWinners = Math.min(this.senders, Number(m.available / cost));
    expect(outcomes.filter((o) => o.outcome === 'reserved')).toHaveLength(expectedWinners);
    outcomes.forEach((o, i) => {
      if (o.outcome === 'reserved') m.pending.set(ids[i]!, cost);
    });
    m.available -= cost * BigInt(expectedWinners);
    await check(m, r);
  }
  toString = () => `ReserveMany(${this.senders}×${this.parts})`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number, readonly action: 'post' | 'void', readonly twice: boolean) {}
  check = (m: Readonly<Model>) => m.pending.size > 0;
  async run(m: Model, r: Real) {
    const ids = [...m.pending.keys()];
    const id = ids[this.pick % ids.length]!;
    await database.db.transaction((tx) => settleMessage(tx, id, this.action));
    if (this.twice) await database.db.transaction((tx) => settleMessage(tx, id, this.action === 'post' ? 'void' : 'post')); // a redelivered, contradicting answer
    if (this.action === 'void') m.available += m.pending.get(id)!;
    m.pending.delete(id);
    await check(m, r);
  }
  toString = () => `Settle(${this.pick}, ${this.action}${this.twice ? ', then the opposite' : ''})`;
}

describe('the ledger against a model', () => {
  it('agrees with the model after every step and never lets a prepaid balance go negative', async () => {
    const commands = [
      fc.bigInt({ min: 1n, max: 200n }).map((a) => new TopUp(a)),
      fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 3 })).map(([n, p]) => new ReserveMany(n, p)),
      fc.tuple(fc.nat(), fc.constantFrom('post' as const, 'void' as const), fc.boolean()).map(([i, a, t]) => new Settle(i, a, t)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const tenant = `model-${randomUUID()}`;
        // Prepaid from the start: a first top-up makes the account prepaid.
        await topUp(database.db, { tenantId: tenant, amount: 1n, currency: 'BRL', idempotencyKey: 'open' });
        await fc.asyncModelRun(() => ({ model: { available: 1n, pending: new Map() }, real: { tenant } }), cmds);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
