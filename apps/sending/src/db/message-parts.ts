import { integer, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * The carrier's answer for each submitted part of a message. A row exists once the part's
 * submit_sm_resp is recorded, so a redelivered dispatch resumes after the last recorded part
 * instead of sending the handset a part twice. Receipts are matched here, by part.
 */
export const messageParts = sending.table(
  'message_parts',
  {
    messageId: uuid('message_id').notNull(),
    part: smallint('part').notNull(),
    carrier: text('carrier').notNull(),
    /** Null when the carrier refused the part (no id was issued). */
    carrierMessageId: text('carrier_message_id'),
    sentStatus: integer('sent_status').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.part] }), uniqueIndex('message_parts_carrier_id_uq').on(t.carrier, t.carrierMessageId)],
);
