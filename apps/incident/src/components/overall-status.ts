import { COMPONENT_STATUSES, type ComponentStatus } from './component-status';

/** Statuspage's page-level indicator (summary.json `status.indicator`). */
export type StatusIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export interface OverallStatus {
  indicator: StatusIndicator;
  description: string;
  /** The worst component status; drives the banner's colour. */
  worst: ComponentStatus;
}

const OVERALL: Record<ComponentStatus, Omit<OverallStatus, 'worst'>> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  under_maintenance: { indicator: 'maintenance', description: 'Service Under Maintenance' },
  degraded_performance: { indicator: 'minor', description: 'Degraded System Performance' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage' },
  major_outage: { indicator: 'critical', description: 'Major System Outage' },
};

const rank = (status: ComponentStatus) => COMPONENT_STATUSES.indexOf(status);

/**
 * The page's headline is its worst component. Any outage or slowness outranks maintenance:
 * a reader who sees "under maintenance" while a part is down would be misled, whereas a
 * planned window next to a healthy platform is worth its own banner. No components at all
 * reads as operational (nothing is known to be wrong).
 */
export function overallStatus(statuses: readonly ComponentStatus[]): OverallStatus {
  const worst = statuses.reduce<ComponentStatus>((a, b) => (rank(b) > rank(a) ? b : a), 'operational');
  return { ...OVERALL[worst], worst };
}
