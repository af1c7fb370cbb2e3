import { migratedDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfers } from '../db';
import { reserve } from '../ledger/reserve';
import { listPrices } from './list-prices';
import { PriceBook } from './price-book';
import { setPrice } from './set-price';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const price = (p: Partial<Parameters<typeof setPrice>[1]>) =>
  setPrice(database.db, { accountId: '', channel: 'sms', country: 'BR', carrier: '', currency: 'BRL', unitPrice: 8n, effectiveFrom: new Date('2026-01-01'), ...p }, 'ops');

describe('price lists on real Postgres', () => {
  it('prices each reservation from the list in force and records which row it used', async () => {
    await price({});
    const vivo = await price({ accountId: 'acme', carrier: 'vivo', unitPrice: 6n });
    await price({ accountId: 'acme', carrier: 'vivo', unitPrice: 4n, effectiveFrom: new Date(Date.now() + 86_400_000) }); // tomorrow
    const book = new PriceBook(database.db, { unitPrice: 99n });
    const q = { accountId: 'acme', channel: 'sms', country: 'BR', carrier: 'vivo', currency: 'BRL', at: new Date() };
    expect(await book.priceOf(q)).toEqual({ unitPrice: 6n, priceId: vivo.id });
    expect((await book.priceOf({ ...q, accountId: 'newco' })).unitPrice).toBe(8n);
    expect(await book.priceOf({ ...q, country: 'AR' })).toEqual({ unitPrice: 99n, priceId: 'config-default' });

    const messageId = randomUUID();
    const { unitPrice, priceId } = await book.priceOf(q);
    await reserve(database.db, { tenantId: 'acme', messageId, parts: 2, partPrice: unitPrice, priceId, currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });
    const rows = await database.db.select().from(transfers).where(eq(transfers.messageId, messageId));
    expect(rows.map((r) => [r.amount, r.priceId])).toEqual([[6n, vivo.id], [6n, vivo.id]]);
  });

  it('never edits a price: the same start date again is ALREADY_EXISTS; bad fields are named at once', async () => {
    await expect(price({})).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(price({ channel: 'fax', country: 'Brasil', unitPrice: 0n })).rejects.toThrow(/channel must be[\s\S]*country must be[\s\S]*unit_price must be positive/);
  });

  it('shows an account its own prices and the default list, not another account’s', async () => {
    await price({ accountId: 'other', unitPrice: 1n, effectiveFrom: new Date('2026-02-01') });
    const seen = await listPrices(database.db, 'acme', 'sms');
    expect(new Set(seen.map((p) => p.accountId))).toEqual(new Set(['', 'acme']));
  });

  it('reads the list once per ttl, not once per reservation', async () => {
    const book = new PriceBook(database.db, { unitPrice: 99n }, 60_000);
    const q = { accountId: 'cached', channel: 'sms', country: 'BR', carrier: 'tim', currency: 'BRL', at: new Date() };
    expect((await book.priceOf(q)).unitPrice).toBe(8n);
    // Written behind the book's back (another replica): this one keeps its copy until the ttl…
    await price({ accountId: 'cached', carrier: 'tim', unitPrice: 3n });
    for (let i = 0; i < 3; i++) expect((await book.priceOf(q)).unitPrice).toBe(8n);
    // …or until a change through it invalidates the copy.
    book.invalidate();
    expect((await book.priceOf(q)).unitPrice).toBe(3n);
  });
});
