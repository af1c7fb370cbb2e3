import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { accounts, invoiceLines, invoices, transfers } from '../db';
import { periodBounds } from '../quotas/quota-period';

export interface Discrepancy {
  kind: 'settled_twice' | 'pending_past_timeout' | 'balance_mismatch' | 'invoice_mismatch';
  subject: string;
  detail: string;
}

/**
 * What the ledger can check on its own for a month: no part settled twice, no reservation left
 * past its timeout, every customer account's running sums equal to its transfers, every invoice
 * of the month equal to its lines and to the posted transfers. Nothing is changed.
 */
export async function reconcileLedger(db: Db, period: string, now = new Date()): Promise<{ discrepancies: Discrepancy[]; transfersChecked: bigint }> {
  const { start, end } = periodBounds(period);
  const inPeriod = sql`created_at >= ${start.toISOString()}::timestamptz and created_at < ${end.toISOString()}::timestamptz`;
  const found: Discrepancy[] = [];

  const twice = await db.execute<{ pending_id: string; n: number }>(sql`
    select pending_id, count(*)::int as n from ${transfers} where pending_id is not null and ${inPeriod} group by 1 having count(*) > 1`);
  for (const r of twice.rows) found.push({ kind: 'settled_twice', subject: r.pending_id, detail: `settled ${r.n} times` });

  const stale = await db.execute<{ id: string; timeout_at: Date }>(sql`
    select p.id, p.timeout_at from ${transfers} p
    where p.kind = 'pending' and p.timeout_at < ${now.toISOString()}::timestamptz
      and p.created_at >= ${start.toISOString()}::timestamptz and p.created_at < ${end.toISOString()}::timestamptz
      and not exists (select 1 from ${transfers} s where s.pending_id = p.id)`);
  for (const r of stale.rows) found.push({ kind: 'pending_past_timeout', subject: r.id, detail: `timed out at ${new Date(r.timeout_at).toISOString()} and still pending` });

  const balances = await db.execute<{ id: string; field: string; kept: string; derived: string }>(sql`
    with sums as (
      select a.id, a.debits_posted, a.debits_pending, a.credits_posted,
        coalesce((select sum(amount) from ${transfers} t where t.debit_account_id = a.id and t.kind = 'post_pending'), 0) as posted,
        coalesce((select sum(p.amount) from ${transfers} p where p.debit_account_id = a.id and p.kind = 'pending'
                  and not exists (select 1 from ${transfers} s where s.pending_id = p.id)), 0) as pending,
        coalesce((select sum(amount) from ${transfers} c where c.credit_account_id = a.id), 0) as credited
      from ${accounts} a where a.kind in ('customer_prepaid', 'customer_postpaid')
    )
    select id, 'debits_posted' as field, debits_posted::text as kept, posted::text as derived from sums where debits_posted <> posted
    union all select id, 'debits_pending', debits_pending::text, pending::text from sums where debits_pending <> pending
    union all select id, 'credits_posted', credits_posted::text, credited::text from sums where credits_posted <> credited`);
  for (const r of balances.rows) found.push({ kind: 'balance_mismatch', subject: r.id, detail: `${r.field} is ${r.kept}; its transfers sum to ${r.derived}` });

  const bills = await db.execute<{ id: string; total: string; lines: string; posted: string }>(sql`
    select i.id, i.total::text,
      coalesce((select sum(amount) from ${invoiceLines} l where l.invoice_id = i.id), 0)::text as lines,
      coalesce((select sum(amount) from ${transfers} t where t.tenant_id = i.tenant_id and t.currency = i.currency and t.kind = 'post_pending'
                and t.created_at >= ${start.toISOString()}::timestamptz and t.created_at < ${end.toISOString()}::timestamptz), 0)::text as posted
    from ${invoices} i where i.period = ${period}`);
  for (const r of bills.rows) {
    if (r.total !== r.lines || r.total !== r.posted) found.push({ kind: 'invoice_mismatch', subject: r.id, detail: `total ${r.total}, lines ${r.lines}, posted in the month ${r.posted}` });
  }
  const counted = await db.execute<{ n: string }>(sql`select count(*)::text as n from ${transfers} where ${inPeriod}`);
  return { discrepancies: found, transfersChecked: BigInt(counted.rows[0]!.n) };
}
