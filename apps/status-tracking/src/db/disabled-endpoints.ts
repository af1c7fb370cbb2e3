import { primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { status } from './schema';

/** URLs whose receiver answered 410 Gone: no callback goes there again. */
export const disabledEndpoints = status.table(
  'disabled_endpoints',
  {
    accountId: text('account_id').notNull(),
    url: text('url').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.url] })],
);
