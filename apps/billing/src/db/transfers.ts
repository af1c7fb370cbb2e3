import { sql } from 'drizzle-orm';
import { bigint, index, integer, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/**
 * Immutable transfers. The id is derived (message, part, phase), so writing the same
 * transfer twice is a primary-key conflict, never a second charge.
 */
export const transfers = billing.table(
  'transfers',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    debitAccountId: text('debit_account_id').notNull(),
    creditAccountId: text('credit_account_id').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    /** single | pending | post_pending | void_pending */
    kind: text('kind').notNull(),
    pendingId: text('pending_id'),
    messageId: text('message_id'),
    part: integer('part'),
    /** The price-list row that set `amount` (prices.id), or 'config-default'. */
    priceId: text('price_id'),
    /** Subaccount that sent the message (invoice lines). */
    subaccountId: text('subaccount_id'),
    /** sms | whatsapp_* (invoice lines; the price's channel). */
    channel: text('channel'),
    /** Destination country (invoice lines). */
    country: text('country'),
    /** Carrier the message went to (carrier prices, incident windows per carrier). */
    carrier: text('carrier'),
    /** Set on a void that an incident window caused (the incident statement sums these). */
    incidentId: text('incident_id'),
    /** The quota account (customer_quota) this part used one unit of, when the account has a quota. */
    quotaAccountId: text('quota_account_id'),
    /**
     * A reservation made ahead (sending's pool) is taken by a message at some time between its
     * creation and this; incident windows meeting that span make it unbillable. Null: the
     * message was accepted when it was reserved.
     */
    usableUntil: timestamp('usable_until', { withTimezone: true }),
    /** A pending transfer not settled by then is voided (see ledger/settle.ts). */
    timeoutAt: timestamp('timeout_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('transfers_message_idx').on(t.messageId),
    index('transfers_tenant_idx').on(t.tenantId, t.createdAt),
    // A pending transfer is settled (posted or voided) at most once.
    uniqueIndex('transfers_settles_pending_once').on(t.pendingId).where(sql`${t.pendingId} is not null`),
  ],
);
