import type { Db } from '@sabia/db';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { accounts, creditNotes, invoices, transfers } from '../db';
import { customerAccountId, revenueAccountId } from '../ledger/transfer-ids';

/**
 * Corrects a finalized invoice without touching it: a credit note, and a new transfer from the
 * platform's revenue back to the customer's account for its amount. The notes of one invoice
 * never add up to more than the invoice.
 */
export async function issueCreditNote(db: Db, input: { invoiceId: string; amount: bigint; reason: string; by: string }) {
  if (input.amount <= 0n) throw new InvalidArgumentError('amount must be positive', { field: 'amount' });
  if (!input.reason.trim()) throw new InvalidArgumentError('a credit note needs a reason', { field: 'reason' });
  return db.transaction(async (tx) => {
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, input.invoiceId)).for('share');
    if (!invoice) throw new NotFoundError(`no invoice ${input.invoiceId}`);
    if (invoice.status !== 'finalized') throw new FailedPreconditionError('a draft is corrected by closing the month again, not with a credit note');
    // Notes of one invoice are serialised on its counter of notes.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`credit-notes:${invoice.id}`}))`);
    const sums = await tx.execute<{ credited: string; count: number }>(sql`
      select coalesce(sum(amount), 0) as credited, count(*)::int as count from ${creditNotes} where invoice_id = ${invoice.id}`);
    const { credited, count } = sums.rows[0]!;
    if (BigInt(credited) + input.amount > invoice.total) {
      throw new FailedPreconditionError(`credit notes would exceed the invoice: ${invoice.total} invoiced, ${credited} already credited`);
    }
    const transferId = `cn:${invoice.id}:${Number(count) + 1}`;
    const customerId = customerAccountId(invoice.tenantId, invoice.currency);
    await tx.insert(transfers).values({
      id: transferId, tenantId: invoice.tenantId, debitAccountId: revenueAccountId(invoice.currency), creditAccountId: customerId,
      amount: input.amount, currency: invoice.currency, kind: 'credit_note',
    });
    await tx.update(accounts).set({ creditsPosted: sql`${accounts.creditsPosted} + ${input.amount}` }).where(eq(accounts.id, customerId));
    const [note] = await tx
      .insert(creditNotes)
      .values({ id: `cn_${invoice.id}_${Number(count) + 1}`, invoiceId: invoice.id, amount: input.amount, reason: input.reason.trim(), transferId, createdBy: input.by })
      .returning();
    return note!;
  });
}
