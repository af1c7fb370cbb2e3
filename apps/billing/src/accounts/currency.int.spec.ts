import { migratedDatabase } from '@sabia/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from '../ledger/get-balance';
import { listTransfers } from '../ledger/list-transfers';
import { topUp } from '../ledger/top-up';
import { CurrencyBook, setBillingCurrency } from './currency-book';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

describe('billing currency per account', () => {
  it('bills an account in the currency chosen for it, and never mixes currencies', async () => {
    const book = new CurrencyBook(database.db, 'BRL');
    expect(await book.currencyOf('usd-co')).toBe('BRL');
    await setBillingCurrency(database.db, { tenantId: 'usd-co', currency: 'USD', by: 'ops' });
    book.forget('usd-co');
    const currency = await book.currencyOf('usd-co');
    expect(currency).toBe('USD');
    await topUp(database.db, { tenantId: 'usd-co', amount: 1000n, currency, idempotencyKey: 'k' });
    expect(await getBalance(database.db, 'usd-co', 'USD')).toMatchObject({ available: 1000n, currency: 'USD' });
    // The top-up came from the platform's USD control account, not from revenue.
    const [topup] = await listTransfers(database.db, 'usd-co');
    expect([topup!.debitAccountId, topup!.creditAccountId, topup!.currency]).toEqual(['platform:control:USD', 'customer:usd-co:USD', 'USD']);
    await expect(setBillingCurrency(database.db, { tenantId: 'usd-co', currency: 'EUR', by: 'ops' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(setBillingCurrency(database.db, { tenantId: 'x', currency: 'dollars', by: 'ops' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
