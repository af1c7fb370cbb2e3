import { jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * Receipts for carrier ids we do not know yet (the receipt overtook its submit_sm_resp, or
 * we crashed before recording it). Kept, never dropped, and matched when the id appears.
 */
export const earlyReceipts = sending.table('early_receipts', {
  carrier: text('carrier').notNull(),
  carrierMessageId: text('carrier_message_id').primaryKey(),
  receipt: jsonb('receipt').$type<{ stat: string; err: string; doneAt: string; traceparent?: string }>().notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
