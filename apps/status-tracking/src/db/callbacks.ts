import { sql } from 'drizzle-orm';
import { index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/**
 * Every callback owed to a customer, written in the same transaction as the status change it
 * reports (so none is lost), then delivered and retried by the callback worker.
 */
export const callbacks = status.table(
  'callbacks',
  {
    /** uuid v7; also the webhook-id header receivers deduplicate with. */
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    messageId: uuid('message_id').notNull(),
    /** message.sent | message.delivered | message.reply */
    type: text('type').notNull(),
    url: text('url').notNull(),
    payload: text('payload').notNull(),
    /**
     * waiting (behind an earlier status callback of the same message) | pending (due at
     * next_attempt_at) | delivered | failed | disabled
     */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /**
     * The latest attempt, kept on the row its outcome updates anyway; callback_attempts holds
     * the ones before it. A callback answered at the first try (nearly all) writes no attempt
     * row at all.
     */
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastHttpStatus: integer('last_http_status'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
  },
  (t) => [
    index('callbacks_due_idx').on(t.nextAttemptAt).where(sql`state = 'pending'`),
    // (message_id, id): "this message's callbacks older than X" is one range of it.
    index('callbacks_message_id_idx').on(t.messageId, t.id),
    // The few callbacks waiting for an earlier one of their message (see enqueue-callback.ts).
    index('callbacks_waiting_idx').on(t.messageId, t.id).where(sql`state = 'waiting'`),
  ],
);
