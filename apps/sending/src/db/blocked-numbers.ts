import { primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/** The customer's own blocked list (seed code 203): one list per account, with who and when. */
export const blockedNumbers = sending.table(
  'blocked_numbers',
  {
    accountId: text('account_id').notNull(),
    number: text('number').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.number] })],
);
