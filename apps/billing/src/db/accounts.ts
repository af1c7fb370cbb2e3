import { bigint, check, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { billing } from './schema';

/**
 * Ledger accounts, TigerBeetle style: balances are four running sums changed only together
 * with a transfer row, in one transaction. A prepaid account may never have debits above
 * its credits (the check constraint makes it impossible even for a buggy verb).
 */
export const accounts = billing.table(
  'accounts',
  {
    id: text('id').primaryKey(),
    /** The customer account (tenant) it belongs to; empty for platform accounts. */
    tenantId: text('tenant_id').notNull(),
    /** customer_prepaid | customer_postpaid | customer_quota (units, one per month) | platform_revenue | platform_control */
    kind: text('kind').notNull(),
    currency: text('currency').notNull(),
    debitsPending: bigint('debits_pending', { mode: 'bigint' }).notNull().default(sql`0`),
    debitsPosted: bigint('debits_posted', { mode: 'bigint' }).notNull().default(sql`0`),
    creditsPending: bigint('credits_pending', { mode: 'bigint' }).notNull().default(sql`0`),
    creditsPosted: bigint('credits_posted', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'prepaid_never_negative',
      sql`${t.kind} <> 'customer_prepaid' or ${t.debitsPending} + ${t.debitsPosted} <= ${t.creditsPosted}`,
    ),
    // A quota account counts SMS parts: credits are the month's limit, debits what was reserved and used.
    check(
      'quota_never_exceeded',
      sql`${t.kind} <> 'customer_quota' or ${t.debitsPending} + ${t.debitsPosted} <= ${t.creditsPosted}`,
    ),
    check('sums_not_negative', sql`${t.debitsPending} >= 0 and ${t.debitsPosted} >= 0 and ${t.creditsPending} >= 0 and ${t.creditsPosted} >= 0`),
  ],
);
