import { sql } from 'drizzle-orm';
import { index, integer, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * Every message we accepted or refused. `state` is our own progress; `sent_status` is the
 * seed's first-level code once known (refusals know it at once).
 */
export const messages = sending.table(
  'messages',
  {
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    userId: text('user_id').notNull(),
    to: text('to').notNull(),
    text: text('text').notNull(),
    encoding: text('encoding').notNull(),
    parts: smallint('parts').notNull(),
    /** accepted → submitting → submitted | failed | expired; or refused; or accepted → cancelled */
    state: text('state').notNull(),
    sentStatus: integer('sent_status'),
    /** Set only by a refusal whose code is second-level (201 no credit). */
    refusalDeliveredStatus: integer('refusal_delivered_status'),
    /** Why an acceptance rule refused the message, for the caller and for reports. */
    refusalReason: text('refusal_reason'),
    carrier: text('carrier'),
    /** The first part's id at the carrier, for people reading the row (receipts match message_parts). */
    carrierMessageId: text('carrier_message_id'),
    correlationId: text('correlation_id').notNull().default(''),
    callbackUrl: text('callback_url').notNull().default(''),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the request, so a reused key with a different request is told apart. */
    requestHash: text('request_hash').notNull(),
    traceId: text('trace_id').notNull().default(''),
    /** Set for messages of a SendBatch, with their position in it. */
    batchId: uuid('batch_id'),
    batchIndex: integer('batch_index'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** UDH reference of a concatenated multi-part message, chosen when it is first dispatched. */
    concatReference: smallint('concat_reference'),
    /** Not submitted by then: the message ends as 101 EXPIRED. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    // Every index here is written by every accepted message and by each of its state changes
    // that is not HOT, so each covers only the messages that need it.
    // Single sends' keys: a batch member is found by its batch and position (the next index),
    // and the batch's own key is unique in batches. Lookups by key say `batch_id is null`, or
    // Postgres cannot use this index. Lists and reports by account and period read status
    // tracking's message_status, never this table.
    uniqueIndex('messages_idempotency_uq').on(t.accountId, t.idempotencyKey).where(sql`${t.batchId} is null`),
    // Only batch members: a single send (no batch) costs this index nothing.
    index('messages_batch_idx').on(t.batchId, t.batchIndex).where(sql`${t.batchId} is not null`),
    // A reply joins the last message sent to its number.
    index('messages_to_created_idx').on(t.to, t.createdAt),
  ],
);
