import { bigint, index, integer, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/**
 * Monthly invoices (postpaid) and statements (prepaid). A draft is recomputed from the ledger
 * until it is finalized; finalizing gives it the issuer's next number (no gaps: the counter row
 * is taken in the finalizing transaction) and a database trigger refuses any later change.
 */
export const invoices = billing.table(
  'invoices',
  {
    id: text('id').primaryKey(),
    issuer: text('issuer').notNull(),
    /** Set when finalized: 1, 2, 3… per issuer, without gaps. */
    number: integer('number'),
    tenantId: text('tenant_id').notNull(),
    /** YYYY-MM, São Paulo calendar month. */
    period: text('period').notNull(),
    /** invoice (postpaid) | statement (prepaid) */
    kind: text('kind').notNull(),
    currency: text('currency').notNull(),
    /** draft | finalized */
    status: text('status').notNull(),
    total: bigint('total', { mode: 'bigint' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invoices_period_uq').on(t.tenantId, t.period, t.currency),
    uniqueIndex('invoices_number_uq').on(t.issuer, t.number),
    index('invoices_tenant_idx').on(t.tenantId, t.period),
  ],
);

/** What an invoice charges, per subaccount, channel and destination country. */
export const invoiceLines = billing.table(
  'invoice_lines',
  {
    invoiceId: text('invoice_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    channel: text('channel').notNull(),
    country: text('country').notNull(),
    parts: bigint('parts', { mode: 'bigint' }).notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.subaccountId, t.channel, t.country] })],
);

/** The last number each issuer gave (finalizing takes this row's lock: numbers have no gaps). */
export const invoiceCounters = billing.table('invoice_counters', {
  issuer: text('issuer').primaryKey(),
  lastNumber: integer('last_number').notNull(),
});

/** Corrections to a finalized invoice: each one a new crediting transfer, never an edit. */
export const creditNotes = billing.table(
  'credit_notes',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    reason: text('reason').notNull(),
    transferId: text('transfer_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_notes_invoice_idx').on(t.invoiceId)],
);
