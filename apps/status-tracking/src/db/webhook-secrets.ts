import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { status } from './schema';

/**
 * Per-subaccount signing secrets. Rotation adds a secret and gives the previous ones an
 * expiry; until then callbacks carry a signature for each, so receivers switch at leisure.
 */
export const webhookSecrets = status.table(
  'webhook_secrets',
  {
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    subaccountId: text('subaccount_id').notNull(),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('webhook_secrets_subaccount_idx').on(t.accountId, t.subaccountId, t.createdAt)],
);
