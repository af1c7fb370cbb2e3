import type { Db } from '@sabia/db';
import { NotFoundError } from '@sabia/errors';
import { and, asc, desc, eq } from 'drizzle-orm';
import { creditNotes, invoiceLines, invoices } from '../db';

/** One invoice of the tenant with its lines and credit notes; another tenant's is NOT_FOUND. */
export async function getInvoice(db: Db, tenantId: string, invoiceId: string) {
  const [invoice] = await db.select().from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.tenantId, tenantId)));
  if (!invoice) throw new NotFoundError(`no invoice ${invoiceId}`);
  const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.subaccountId), asc(invoiceLines.channel), asc(invoiceLines.country));
  const notes = await db.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoiceId)).orderBy(asc(creditNotes.createdAt));
  return { invoice, lines, notes };
}

export async function listInvoices(db: Db, tenantId: string) {
  return db.select().from(invoices).where(eq(invoices.tenantId, tenantId)).orderBy(desc(invoices.period));
}
