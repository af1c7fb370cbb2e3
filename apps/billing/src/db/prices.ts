import { bigint, index, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/**
 * Price lists. A row prices one unit (an SMS part; a WhatsApp conversation by template
 * category) for an account, or for everyone when account_id is '' (the default list), from
 * `effective_from` on. Rows are never edited: a new price is a new row with a later date, so
 * any past transfer's price can be explained.
 */
export const prices = billing.table(
  'prices',
  {
    id: text('id').primaryKey(),
    /** '' = the default list */
    accountId: text('account_id').notNull(),
    /** sms | whatsapp_marketing | whatsapp_utility | whatsapp_authentication | whatsapp_service */
    channel: text('channel').notNull(),
    /** ISO 3166-1 alpha-2; '' = any country */
    country: text('country').notNull(),
    /** carrier id (vivo, claro, …); '' = any carrier */
    carrier: text('carrier').notNull(),
    currency: text('currency').notNull(),
    /** Smallest currency unit (centavos) per unit. */
    unitPrice: bigint('unit_price', { mode: 'bigint' }).notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('prices_version_uq').on(t.accountId, t.channel, t.country, t.carrier, t.currency, t.effectiveFrom),
    index('prices_account_idx').on(t.accountId, t.channel),
  ],
);
