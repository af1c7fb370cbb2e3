import type { Db } from '@sabia/db';
import { FailedPreconditionError, InvalidArgumentError } from '@sabia/errors';
import { and, eq, sql } from 'drizzle-orm';
import { accounts, invoiceLines, invoices, transfers } from '../db';
import { customerAccountId } from '../ledger/transfer-ids';
import { periodBounds } from '../quotas/quota-period';

export const ISSUER = 'sabia-br';
export const invoiceIdOf = (tenantId: string, period: string, currency: string) => `inv:${tenantId}:${period}:${currency}`;

/**
 * (Re)computes the draft invoice of a month from the ledger: one line per subaccount, channel
 * and destination country, summing exactly the transfers posted in that São Paulo month (what
 * carriers accepted; voids and incident windows are not there). Prepaid accounts get a
 * statement, postpaid ones an invoice. A finalized month is never recomputed.
 */
export async function draftInvoice(db: Db, input: { tenantId: string; period: string; currency: string }) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.period)) throw new InvalidArgumentError(`period must be YYYY-MM, got ${input.period}`, { field: 'period' });
  const { start, end } = periodBounds(input.period);
  const id = invoiceIdOf(input.tenantId, input.period, input.currency);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(invoices).where(eq(invoices.id, id)).for('update');
    if (existing?.status === 'finalized') throw new FailedPreconditionError(`invoice ${existing.number} for ${input.period} is finalized; correct it with a credit note`);
    const lines = await tx
      .select({
        subaccountId: sql<string>`coalesce(${transfers.subaccountId}, '')`,
        channel: sql<string>`coalesce(${transfers.channel}, 'sms')`,
        country: sql<string>`coalesce(${transfers.country}, '')`,
        parts: sql<string>`count(*)`,
        amount: sql<string>`sum(${transfers.amount})`,
      })
      .from(transfers)
      .where(and(
        eq(transfers.tenantId, input.tenantId), eq(transfers.currency, input.currency), eq(transfers.kind, 'post_pending'),
        sql`${transfers.createdAt} >= ${start.toISOString()}::timestamptz and ${transfers.createdAt} < ${end.toISOString()}::timestamptz`,
      ))
      .groupBy(sql`1, 2, 3`)
      .orderBy(sql`1, 2, 3`);
    const total = lines.reduce((sum, l) => sum + BigInt(l.amount), 0n);
    const [account] = await tx.select({ kind: accounts.kind }).from(accounts).where(eq(accounts.id, customerAccountId(input.tenantId, input.currency)));
    const kind = account?.kind === 'customer_prepaid' ? 'statement' : 'invoice';
    await tx
      .insert(invoices)
      .values({ id, issuer: ISSUER, tenantId: input.tenantId, period: input.period, kind, currency: input.currency, status: 'draft', total })
      .onConflictDoUpdate({ target: invoices.id, set: { total, kind } });
    await tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id));
    if (lines.length > 0) {
      await tx.insert(invoiceLines).values(lines.map((l) => ({ invoiceId: id, ...l, parts: BigInt(l.parts), amount: BigInt(l.amount) })));
    }
    return id;
  });
}
