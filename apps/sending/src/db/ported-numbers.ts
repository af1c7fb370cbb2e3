import { text, timestamp } from 'drizzle-orm/pg-core';
import { sending } from './schema';

/**
 * Numbers that moved to another carrier (Brazil's portability base): they override the
 * number ranges. One row per number, replaced when it ports again.
 */
export const portedNumbers = sending.table('ported_numbers', {
  number: text('number').primaryKey(),
  carrier: text('carrier').notNull(),
  portedAt: timestamp('ported_at', { withTimezone: true }).notNull().defaultNow(),
});
