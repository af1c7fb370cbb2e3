import { sql } from 'drizzle-orm';
import { boolean, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/** Sending settings of an account (subaccount_id = '') or of one subaccount, which overrides it. */
export const customerSettings = sending.table(
  'customer_settings',
  {
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    allowedCountries: text('allowed_countries').array().notNull().default(sql`'{}'::text[]`),
    forbiddenWords: text('forbidden_words').array().notNull().default(sql`'{}'::text[]`),
    accentsEnabled: boolean('accents_enabled').notNull(),
    maxChars: integer('max_chars').notNull(),
    defaultCallbackUrl: text('default_callback_url').notNull().default(''),
    allowNationalNumbers: boolean('allow_national_numbers').notNull(),
    defaultCountry: text('default_country').notNull(),
    moUrl: text('mo_url').notNull().default(''),
    optOutKeywords: text('opt_out_keywords').array().notNull().default(sql`'{}'::text[]`),
    optInKeywords: text('opt_in_keywords').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.subaccountId] })],
);
