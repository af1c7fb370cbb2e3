import { sql } from 'drizzle-orm';
import { check, integer, text, timestamp } from 'drizzle-orm/pg-core';
import { COMPONENT_STATUSES } from '../components/component-status';
import { incident } from './schema';

const allowed = sql.raw(COMPONENT_STATUSES.map((s) => `'${s}'`).join(', '));

/**
 * Parts of the platform shown on the status page. The id is a stable slug (sms-api) because
 * subscribers and the public JSON refer to it; status changes only through incidents and
 * maintenance, so boot-time seeding never touches it.
 */
export const components = incident.table(
  'components',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Display order on the page, ascending. */
    position: integer('position').notNull(),
    /** operational | degraded_performance | partial_outage | major_outage | under_maintenance */
    status: text('status').notNull().default('operational'),
    /** When the status last changed. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('components_status_known', sql`${t.status} in (${allowed})`)],
);
