import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * Message ids billing has reserved ahead of any message (see billing/reservation-pool.ts),
 * written before billing is asked, so that after a crash every reservation that no message
 * took can still be found and released. A row whose id became a message is simply deleted.
 */
export const pooledReservations = sending.table(
  'pooled_reservations',
  {
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pooled_reservations_created_idx').on(t.createdAt)],
);
