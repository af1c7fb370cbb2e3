import { invariant } from '@sabia/errors';

/** Statuspage's component statuses (DESIGN §5), in the order the page ranks them, best first. */
export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const isComponentStatus = (value: string): value is ComponentStatus =>
  (COMPONENT_STATUSES as readonly string[]).includes(value);

/** The column has a check constraint, so an unknown value here means the schema and code disagree. */
export function toComponentStatus(value: string): ComponentStatus {
  invariant(isComponentStatus(value), `unknown component status "${value}"`);
  return value;
}

/** A component as the verbs return it (never a proto or a row type). */
export interface Component {
  id: string;
  name: string;
  description: string;
  position: number;
  status: ComponentStatus;
  updatedAt: Date;
}
