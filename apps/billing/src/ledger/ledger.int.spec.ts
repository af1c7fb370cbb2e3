import { migratedDatabase } from '@sabia/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from './get-balance';
import { listTransfers } from './list-transfers';
import { release } from './release';
import { reserve } from './reserve';
import { reserveBatch } from './reserve-batch';
import { settleMessage, type Settlement } from './settle';
import { topUp } from './top-up';
import { voidExpiredPendings } from './expire-pendings';

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'), 20);
});

afterAll(() => database.drop());

const reserveFor = (tenantId: string, messageId = randomUUID(), parts = 1) =>
  reserve(database.db, { tenantId, messageId, parts, partPrice: 5n, priceId: 'test', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });

const settle = (messageId: string, action: Settlement | ((part: number) => Settlement)) =>
  database.db.transaction((tx) => settleMessage(tx, messageId, action));

describe('two-phase ledger on real Postgres', () => {
  it('reserves every part, posts each once, and ignores a second settlement', async () => {
    const id = randomUUID();
    expect(await reserveFor('t-post', id, 3)).toEqual({ outcome: 'reserved', amount: 15n, currency: 'BRL' });
    expect(await reserveFor('t-post', id, 3)).toMatchObject({ outcome: 'reserved' }); // same message: same reservation
    expect(await settle(id, 'post')).toBe(3);
    expect(await settle(id, 'post')).toBe(0);
    expect(await settle(id, 'void')).toBe(0); // a late failure cannot undo a posted part
    const kinds = (await listTransfers(database.db, 't-post', id)).map((t) => t.kind);
    expect(kinds.filter((k) => k === 'pending')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'post_pending')).toHaveLength(3);
    expect(kinds).not.toContain('void_pending');
  });

  it('voids a refused message and never posts it afterwards', async () => {
    const id = randomUUID();
    await reserveFor('t-void', id);
    expect(await settle(id, 'void')).toBe(1);
    expect(await settle(id, 'post')).toBe(0);
    const transfers = await listTransfers(database.db, 't-void', id);
    expect(transfers.map((t) => t.kind)).toEqual(['pending', 'void_pending']);
  });

  it('bills the parts a carrier accepted and voids the rest of the message', async () => {
    await topUp(database.db, { tenantId: 't-parts', amount: 100n, currency: 'BRL', idempotencyKey: 'k1' });
    const id = randomUUID();
    await reserveFor('t-parts', id, 3);
    expect(await settle(id, (part) => (part === 1 ? 'post' : 'void'))).toBe(3);
    const transfers = await listTransfers(database.db, 't-parts', id);
    expect(transfers.filter((t) => t.kind === 'post_pending').map((t) => t.part)).toEqual([1]);
    expect(transfers.filter((t) => t.kind === 'void_pending').map((t) => t.part).sort()).toEqual([2, 3]);
    expect(await getBalance(database.db, 't-parts', 'BRL')).toEqual({ available: 95n, pending: 0n, currency: 'BRL' });
  });

  it('voids a reservation whose answer never came within its timeout, and ignores a later SENT_SUCCESS', async () => {
    await topUp(database.db, { tenantId: 't-late', amount: 10n, currency: 'BRL', idempotencyKey: 'k1' });
    const id = randomUUID();
    await reserve(database.db, { tenantId: 't-late', messageId: id, parts: 1, partPrice: 5n, priceId: 't', currency: 'BRL', timeoutAt: new Date(Date.now() - 1) });
    const fresh = randomUUID();
    await reserveFor('t-late', fresh);
    expect(await voidExpiredPendings(database.db)).toBeGreaterThanOrEqual(1);
    expect(await settle(id, 'post')).toBe(0); // too late: never billed
    expect((await listTransfers(database.db, 't-late', id)).map((t) => t.kind)).toEqual(['pending', 'void_pending']);
    expect((await listTransfers(database.db, 't-late', fresh)).map((t) => t.kind)).toEqual(['pending']); // not yet expired
    expect(await getBalance(database.db, 't-late', 'BRL')).toEqual({ available: 5n, pending: 5n, currency: 'BRL' });
  });

  it('gives exactly one of two concurrent sends that together exceed the credit', async () => {
    await topUp(database.db, { tenantId: 't-two', amount: 7n, currency: 'BRL', idempotencyKey: 'k1' });
    const outcomes = await Promise.all([reserveFor('t-two'), reserveFor('t-two')]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['no_credit', 'reserved']);
    expect(await getBalance(database.db, 't-two', 'BRL')).toEqual({ available: 2n, pending: 5n, currency: 'BRL' });
  });

  it('never lets a prepaid balance go negative under 50 concurrent senders', async () => {
    await topUp(database.db, { tenantId: 't-fifty', amount: 100n, currency: 'BRL', idempotencyKey: 'k1' });
    await topUp(database.db, { tenantId: 't-fifty', amount: 100n, currency: 'BRL', idempotencyKey: 'k1' }); // idempotent
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => reserveFor('t-fifty')));
    expect(outcomes.filter((o) => o.outcome === 'reserved')).toHaveLength(20);
    const balance = await getBalance(database.db, 't-fifty', 'BRL');
    expect(balance).toEqual({ available: 0n, pending: 100n, currency: 'BRL' });
  });
});

describe('batch reservation', () => {
  it('gives credit in request order until it runs out, in one transaction', async () => {
    await topUp(database.db, { tenantId: 't-batch', amount: 23n, currency: 'BRL', idempotencyKey: 'k1' });
    const items = [1, 2, 1, 1, 3].map((parts) => ({ messageId: randomUUID(), parts, partPrice: 5n, priceId: 'test' }));
    const batch = (list = items) =>
      reserveBatch(database.db, { tenantId: 't-batch', items: list, currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });
    // 5 + 10 + 5 = 20 fits in 23; the fourth (5) would make 25; the fifth (15) too.
    expect(await batch()).toEqual(['reserved', 'reserved', 'reserved', 'no_credit', 'no_credit']);
    expect(await getBalance(database.db, 't-batch', 'BRL')).toEqual({ available: 3n, pending: 20n, currency: 'BRL' });
    // A retried batch keeps what it had and reserves nothing twice.
    expect(await batch()).toEqual(['reserved', 'reserved', 'reserved', 'no_credit', 'no_credit']);
    expect(await getBalance(database.db, 't-batch', 'BRL')).toMatchObject({ pending: 20n });
    expect(await release(database.db, [items[0]!.messageId, items[3]!.messageId])).toBe(1);
    expect(await getBalance(database.db, 't-batch', 'BRL')).toMatchObject({ available: 8n, pending: 15n });
  });

  it('reserves a retried batch that fitted whole once, and a batch that repeats part of an earlier one only for its new messages', async () => {
    await topUp(database.db, { tenantId: 't-batch-retry', amount: 100n, currency: 'BRL', idempotencyKey: 'k1' });
    const items = [1, 2, 1].map((parts) => ({ messageId: randomUUID(), parts, partPrice: 5n, priceId: 'test' }));
    const batch = (list: typeof items) =>
      reserveBatch(database.db, { tenantId: 't-batch-retry', items: list, currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });
    expect(await batch(items)).toEqual(['reserved', 'reserved', 'reserved']);
    expect(await getBalance(database.db, 't-batch-retry', 'BRL')).toEqual({ available: 80n, pending: 20n, currency: 'BRL' });
    expect(await batch(items)).toEqual(['reserved', 'reserved', 'reserved']);
    expect(await getBalance(database.db, 't-batch-retry', 'BRL')).toEqual({ available: 80n, pending: 20n, currency: 'BRL' });
    const more = [...items.slice(1), { messageId: randomUUID(), parts: 3, partPrice: 5n, priceId: 'test' }];
    expect(await batch(more)).toEqual(['reserved', 'reserved', 'reserved']);
    expect(await getBalance(database.db, 't-batch-retry', 'BRL')).toEqual({ available: 65n, pending: 35n, currency: 'BRL' });
  });
});
