import { migratedDatabase } from '@sabia/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../ledger/reserve';
import { reserveBatch } from '../ledger/reserve-batch';
import { settleMessage } from '../ledger/settle';
import { topUp } from '../ledger/top-up';
import { QuotaBook, quotaUsage, setQuota } from './quota-book';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let book: QuotaBook;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'), 30);
  book = new QuotaBook(database.db);
});
afterAll(() => database.drop());

const reserveFor = async (tenantId: string, parts = 1, messageId = randomUUID()) =>
  (await reserve(database.db, {
    tenantId, messageId, parts, partPrice: 5n, priceId: 't', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000),
    quotaAccountId: await book.accountFor(tenantId),
  })).outcome;

describe('monthly quotas in the ledger', () => {
  it('reserves parts against the month’s quota, all or nothing, and gives voided parts back', async () => {
    await setQuota(database.db, { tenantId: 'q-basic', monthlyParts: 3n, by: 'ops' });
    const first = randomUUID();
    expect(await reserveFor('q-basic', 2, first)).toBe('reserved');
    expect(await reserveFor('q-basic', 2)).toBe('quota_blocked'); // 2 + 2 > 3: nothing of it is kept
    expect(await quotaUsage(database.db, 'q-basic')).toMatchObject({ limited: true, monthlyParts: 3n, pendingParts: 2n, usedParts: 0n });
    await database.db.transaction((tx) => settleMessage(tx, first, (part) => (part === 1 ? 'post' : 'void')));
    expect(await quotaUsage(database.db, 'q-basic')).toMatchObject({ pendingParts: 0n, usedParts: 1n });
    expect(await reserveFor('q-basic', 2)).toBe('reserved'); // the voided part came back
  });

  it('never lets 30 concurrent senders pass a quota of 5', async () => {
    await setQuota(database.db, { tenantId: 'q-race', monthlyParts: 5n, by: 'ops' });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => reserveFor('q-race')));
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(5);
    expect((await quotaUsage(database.db, 'q-race')).pendingParts).toBe(5n);
  });

  it('blocks everything at 0, and a lowered quota never drops below what was used', async () => {
    await setQuota(database.db, { tenantId: 'q-block', monthlyParts: 4n, by: 'ops' });
    expect(await reserveFor('q-block', 3)).toBe('reserved');
    book.forget('q-block');
    await setQuota(database.db, { tenantId: 'q-block', monthlyParts: 0n, by: 'ops' });
    expect(await reserveFor('q-block')).toBe('quota_blocked');
    expect(await quotaUsage(database.db, 'q-block')).toMatchObject({ monthlyParts: 0n, pendingParts: 3n });
  });

  it('checks quota before credit in a batch, in request order', async () => {
    await setQuota(database.db, { tenantId: 'q-batch', monthlyParts: 3n, by: 'ops' });
    await topUp(database.db, { tenantId: 'q-batch', amount: 15n, currency: 'BRL', idempotencyKey: 'k' }); // prepaid: three parts at 5
    const items = [2, 2, 1].map((parts) => ({ messageId: randomUUID(), parts, partPrice: 5n, priceId: 't' }));
    const outcomes = await reserveBatch(database.db, {
      tenantId: 'q-batch', items, currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000), quotaAccountId: await book.accountFor('q-batch'),
    });
    // The second needs 2 parts with 1 of quota and 1 of credit left: both fail, the quota (215)
    // is reported, as the seed orders them; the third fits both.
    expect(outcomes).toEqual(['reserved', 'quota_blocked', 'reserved']);
  });

  it('leaves accounts without a quota unlimited by it', async () => {
    expect(await book.accountFor('q-none')).toBeUndefined();
    expect(await reserveFor('q-none', 10)).toBe('reserved');
  });
});
