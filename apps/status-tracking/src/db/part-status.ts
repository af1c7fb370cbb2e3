import { integer, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/** The final receipt of each part of a message; the first final receipt of a part wins. */
export const partStatus = status.table(
  'part_status',
  {
    messageId: uuid('message_id').notNull(),
    part: smallint('part').notNull(),
    deliveredStatus: integer('delivered_status').notNull(),
    receiptStat: text('receipt_stat').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.part] })],
);
