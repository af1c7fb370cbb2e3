import { bigserial, index, integer, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/** Every status change as it happened, for reports and for SREs reading one message's story. */
export const statusHistory = status.table(
  'status_history',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    messageId: uuid('message_id').notNull(),
    accountId: text('account_id').notNull(),
    /** 1 = sent_status, 2 = delivered_status */
    level: smallint('level').notNull(),
    code: integer('code').notNull(),
    detail: text('detail').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('status_history_message_idx').on(t.messageId, t.at)],
);
