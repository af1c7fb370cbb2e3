import { primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/** Numbers that opted out of one subaccount (seed code 204), by reply keyword or by hand. */
export const optOuts = sending.table(
  'opt_outs',
  {
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    number: text('number').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.subaccountId, t.number] })],
);
