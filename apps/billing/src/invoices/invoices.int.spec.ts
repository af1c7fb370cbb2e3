import { migratedDatabase } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from '../ledger/get-balance';
import { reserve } from '../ledger/reserve';
import { settleMessage } from '../ledger/settle';
import { issueCreditNote } from './credit-note';
import { draftInvoice, invoiceIdOf } from './draft-invoice';
import { finalizeInvoice } from './finalize-invoice';
import { getUsage } from '../ledger/get-usage';
import { getInvoice } from './get-invoice';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'), 20);
});
afterAll(() => database.drop());

/** A message billed (posted) or not, then moved into a month by its transfers' dates. */
async function bill(tenantId: string, at: string, opts: { subaccountId: string; country: string; parts: number; price: bigint; post: boolean }) {
  const messageId = randomUUID();
  await reserve(database.db, { tenantId, messageId, parts: opts.parts, partPrice: opts.price, priceId: 't', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000), subaccountId: opts.subaccountId, country: opts.country });
  await database.db.transaction((tx) => settleMessage(tx, messageId, opts.post ? 'post' : 'void'));
  await database.db.execute(sql`update billing.transfers set created_at = ${at}::timestamptz where message_id = ${messageId}`);
}

describe('monthly invoices', () => {
  it('equals the month’s posted transfers to the cent, by subaccount, channel and country', async () => {
    await bill('inv-co', '2026-10-05T12:00:00Z', { subaccountId: 'main', country: 'BR', parts: 2, price: 7n, post: true });
    await bill('inv-co', '2026-10-31T23:30:00Z', { subaccountId: 'main', country: 'BR', parts: 1, price: 7n, post: true }); // 20:30 in São Paulo: October
    await bill('inv-co', '2026-11-01T02:00:00Z', { subaccountId: 'main', country: 'BR', parts: 1, price: 7n, post: true }); // still Oct 31 in São Paulo
    await bill('inv-co', '2026-10-10T12:00:00Z', { subaccountId: 'sales', country: 'AR', parts: 1, price: 13n, post: true });
    await bill('inv-co', '2026-10-11T12:00:00Z', { subaccountId: 'sales', country: 'AR', parts: 3, price: 13n, post: false }); // voided: not billed
    await bill('inv-co', '2026-11-01T03:00:00Z', { subaccountId: 'main', country: 'BR', parts: 1, price: 7n, post: true }); // November
    const id = await draftInvoice(database.db, { tenantId: 'inv-co', period: '2026-10', currency: 'BRL' });
    const { invoice, lines } = await getInvoice(database.db, 'inv-co', id);
    expect(lines.map((l) => [l.subaccountId, l.channel, l.country, l.parts, l.amount])).toEqual([
      ['main', 'sms', 'BR', 4n, 28n],
      ['sales', 'sms', 'AR', 1n, 13n],
    ]);
    const { posted } = (await database.db.execute<{ posted: string }>(sql`
      select sum(amount) as posted from billing.transfers where tenant_id = 'inv-co' and kind = 'post_pending'
        and created_at >= '2026-10-01T03:00:00Z' and created_at < '2026-11-01T03:00:00Z'`)).rows[0]!;
    expect(invoice).toMatchObject({ status: 'draft', kind: 'invoice', total: BigInt(posted) });
    expect(invoice.total).toBe(41n);
    // GetUsage over the same month agrees, grouped as asked.
    const usage = await getUsage(database.db, 'inv-co', { start: new Date('2026-10-01T03:00:00Z'), end: new Date('2026-11-01T03:00:00Z'), groupBy: ['subaccount'] });
    expect(usage.map((u) => [u.subaccountId, u.parts, u.amount])).toEqual([['main', 4n, 28n], ['sales', 1n, 13n]]);
    await expect(getUsage(database.db, 'inv-co', { start: new Date(), end: new Date(Date.now() + 1), groupBy: ['planet'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('numbers finalized invoices without gaps, even when finalized all at once', async () => {
    const ids = [];
    for (const tenant of ['n-a', 'n-b', 'n-c', 'n-d', 'n-e']) {
      await bill(tenant, '2026-09-15T12:00:00Z', { subaccountId: 'main', country: 'BR', parts: 1, price: 5n, post: true });
      ids.push(await draftInvoice(database.db, { tenantId: tenant, period: '2026-09', currency: 'BRL' }));
    }
    const finalized = await Promise.all(ids.map((id) => finalizeInvoice(database.db, id)));
    const numbers = finalized.map((f) => f.number!).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 5 }, (_, i) => numbers[0]! + i));
    await expect(finalizeInvoice(database.db, ids[0]!)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('corrects a finalized invoice with credit notes that leave it untouched, never beyond its total', async () => {
    const id = invoiceIdOf('inv-co', '2026-10', 'BRL');
    const before = await getInvoice(database.db, 'inv-co', id);
    const finalized = await finalizeInvoice(database.db, id);
    const balanceBefore = await getBalance(database.db, 'inv-co', 'BRL');
    const note = await issueCreditNote(database.db, { invoiceId: id, amount: 13n, reason: 'AR messages delivered late', by: 'ops' });
    const after = await getInvoice(database.db, 'inv-co', id);
    expect(after.invoice).toEqual(finalized);
    expect(after.lines).toEqual(before.lines);
    expect(after.notes.map((n) => [n.amount, n.transferId])).toEqual([[13n, note.transferId]]);
    expect((await getBalance(database.db, 'inv-co', 'BRL')).available).toBe(balanceBefore.available + 13n);
    await expect(issueCreditNote(database.db, { invoiceId: id, amount: 29n, reason: 'too much', by: 'ops' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    // The database itself refuses to edit a finalized invoice or its lines.
    await expect(database.db.execute(sql`update billing.invoices set total = 0 where id = ${id}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from billing.invoice_lines where invoice_id = ${id}`)).rejects.toThrow();
    await expect(draftInvoice(database.db, { tenantId: 'inv-co', period: '2026-10', currency: 'BRL' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });
});
