import type { Db } from '@sabia/db';
import { FailedPreconditionError, NotFoundError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { invoiceCounters, invoices } from '../db';
import { draftInvoice } from './draft-invoice';

/**
 * Finalizes a month: the draft is recomputed one last time (so it equals the ledger exactly),
 * then gets the issuer's next number. The counter row is locked by this transaction until it
 * commits, so numbers are consecutive whatever runs at once, and a rolled-back finalization
 * gives its number back. From then on the database refuses any change to the invoice.
 */
export async function finalizeInvoice(db: Db, invoiceId: string) {
  const [draft] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!draft) throw new NotFoundError(`no invoice ${invoiceId}`);
  if (draft.status === 'finalized') throw new FailedPreconditionError(`invoice ${draft.number} is already finalized`);
  await draftInvoice(db, { tenantId: draft.tenantId, period: draft.period, currency: draft.currency });
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
    if (current!.status === 'finalized') throw new FailedPreconditionError(`invoice ${current!.number} is already finalized`);
    const [counter] = await tx
      .insert(invoiceCounters)
      .values({ issuer: current!.issuer, lastNumber: 1 })
      .onConflictDoUpdate({ target: invoiceCounters.issuer, set: { lastNumber: sql`${invoiceCounters.lastNumber} + 1` } })
      .returning();
    const [finalized] = await tx
      .update(invoices)
      .set({ status: 'finalized', number: counter!.lastNumber, finalizedAt: new Date() })
      .where(eq(invoices.id, invoiceId))
      .returning();
    return finalized!;
  });
}
