import { text, timestamp } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/** An account's billing currency (no row: DEFAULT_CURRENCY). Every transfer of the account uses it. */
export const billingProfiles = billing.table('billing_profiles', {
  tenantId: text('tenant_id').primaryKey(),
  currency: text('currency').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});
