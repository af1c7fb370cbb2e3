import { bigserial, integer, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/**
 * Every status change as it happened, for reports and for SREs reading one message's story
 * (by message id: the key's first column). Two rows per message are written and almost none
 * read, so the table has one index, its key.
 */
export const statusHistory = status.table(
  'status_history',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    messageId: uuid('message_id').notNull(),
    accountId: text('account_id').notNull(),
    /** 1 = sent_status, 2 = delivered_status */
    level: smallint('level').notNull(),
    code: integer('code').notNull(),
    detail: text('detail').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'status_history_pkey', columns: [t.messageId, t.id] })],
);
