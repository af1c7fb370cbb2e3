import { bigserial, integer, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/**
 * Every status change as it happened, for reports and for SREs reading one message's story
 * (by message id: the key's first column; `id` orders it). Two rows per message are written
 * and almost none read, so the table has one index, its key. The key names the event that
 * brought the change (and the row's place among that event's rows for the message), so a
 * redelivered receipt finds its rows there and changes nothing: the history is the receipt
 * consumer's record of what it applied.
 */
export const statusHistory = status.table(
  'status_history',
  {
    id: bigserial('id', { mode: 'bigint' }).notNull(),
    messageId: uuid('message_id').notNull(),
    /** The event this row came from (rows from before the column: a random id). */
    eventId: uuid('event_id').notNull().defaultRandom(),
    /** 0 for an event's first row about the message, 1 for its second (a split's 401, a refusal's second level). */
    seq: smallint('seq').notNull().default(0),
    accountId: text('account_id').notNull(),
    /** 1 = sent_status, 2 = delivered_status */
    level: smallint('level').notNull(),
    code: integer('code').notNull(),
    detail: text('detail').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'status_history_pkey', columns: [t.messageId, t.eventId, t.seq] })],
);
