import { bigserial, index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/**
 * Each try at delivering a callback that was followed by another, for the customer's support and
 * ours; the latest is on the callback's row (callbacks.last_*).
 */
export const callbackAttempts = status.table(
  'callback_attempts',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    callbackId: uuid('callback_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The receiver's HTTP status; 0 when there was none. */
    httpStatus: integer('http_status').notNull(),
    error: text('error').notNull().default(''),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('callback_attempts_callback_idx').on(t.callbackId, t.at)],
);
