import { text, timestamp } from 'drizzle-orm/pg-core';
import { billing } from './schema';

/**
 * Incident windows declared by the incident service. Reservations made inside one (for the
 * carriers it names, or all when it names none) are never posted: voided, tagged with the
 * incident, and listed on the incident statement.
 */
export const incidentWindows = billing.table('incident_windows', {
  incidentId: text('incident_id').primaryKey(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  /** Null while the incident is open. */
  endsAt: timestamp('ends_at', { withTimezone: true }),
  /** Carrier ids ('sms-vivo' components name them); empty: every carrier. */
  carriers: text('carriers').array().notNull(),
  declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
});
