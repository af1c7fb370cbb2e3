import { index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * Receipts for carrier ids we do not know yet (the receipt overtook its submit_sm_resp, or
 * we crashed before recording it). Kept, never dropped, and matched when the id appears: every
 * one of them, so an id may have several (an intermediate ENROUTE, then the final DELIVRD).
 */
export const earlyReceipts = sending.table(
  'early_receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    carrier: text('carrier').notNull(),
    // Ids are unique per carrier only: two carriers may well issue the same one.
    carrierMessageId: text('carrier_message_id').notNull(),
    receipt: jsonb('receipt').$type<{ stat: string; err: string; doneAt: string; traceparent?: string }>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('early_receipts_carrier_id_idx').on(t.carrier, t.carrierMessageId)],
);
