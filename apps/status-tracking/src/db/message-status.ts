import { index, integer, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/** The current two levels of every message (DESIGN §3). */
export const messageStatus = status.table(
  'message_status',
  {
    messageId: uuid('message_id').primaryKey(),
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    parts: smallint('parts').notNull().default(1),
    carrier: text('carrier').notNull().default(''),
    carrierMessageId: text('carrier_message_id').notNull().default(''),
    correlationId: text('correlation_id').notNull().default(''),
    /** Where callbacks for this message go ('' for none). */
    callbackUrl: text('callback_url').notNull().default(''),
    to: text('to').notNull().default(''),
    sentStatus: integer('sent_status'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredStatus: integer('delivered_status'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    receiptStat: text('receipt_stat'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_status_account_idx').on(t.accountId, t.sentAt)],
);
