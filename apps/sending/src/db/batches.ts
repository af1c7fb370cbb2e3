import { integer, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/** One SendBatch call: its idempotency key and request hash; its messages carry its id. */
export const batches = sending.table(
  'batches',
  {
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('batches_idempotency_uq').on(t.accountId, t.idempotencyKey)],
);
