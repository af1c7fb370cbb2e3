import { bigint, text, timestamp } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/** An account's monthly SMS quota, in parts. No row: no quota. 0: blocked (every send gets 215). */
export const quotas = billing.table('quotas', {
  tenantId: text('tenant_id').primaryKey(),
  monthlyParts: bigint('monthly_parts', { mode: 'bigint' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});
