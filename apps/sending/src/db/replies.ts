import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/** Replies (mobile-originated SMS), kept whether or not they joined a conversation of ours. */
export const replies = sending.table(
  'replies',
  {
    id: uuid('id').primaryKey(),
    carrier: text('carrier').notNull(),
    from: text('from').notNull(),
    to: text('to').notNull(),
    text: text('text').notNull(),
    /** The conversation: the last message we sent to `from` (null when there was none). */
    messageId: uuid('message_id'),
    accountId: text('account_id').notNull().default(''),
    subaccountId: text('subaccount_id').notNull().default(''),
    /** opt_out / opt_in when the text was a keyword, else ''. */
    action: text('action').notNull().default(''),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('replies_account_idx').on(t.accountId, t.receivedAt)],
);
