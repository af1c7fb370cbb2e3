import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ticketing } from './schema';

/**
 * Human-attendance tickets of a bot's WhatsApp conversations (DESIGN §4):
 * waiting → open → closed_attendant | closed_client, or transferred between queues.
 */
export const tickets = ticketing.table(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    accountId: text('account_id').notNull(),
    botId: text('bot_id').notNull(),
    contact: text('contact').notNull(),
    /** waiting | open | closed_attendant | closed_client | transferred */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** 24 h after the contact's last message: no free-form reply after it. */
    windowClosesAt: timestamp('window_closes_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
  },
  (t) => [index('tickets_bot_status_idx').on(t.accountId, t.botId, t.status, t.createdAt)],
);
