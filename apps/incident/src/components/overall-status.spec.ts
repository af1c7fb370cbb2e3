import { describe, expect, it } from 'vitest';
import { overallStatus } from './overall-status';

describe('overallStatus', () => {
  it('is "none" when every component is operational, or there are none', () => {
    expect(overallStatus(['operational', 'operational'])).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
      worst: 'operational',
    });
    expect(overallStatus([]).indicator).toBe('none');
  });

  it.each([
    [['operational', 'degraded_performance'], 'minor', 'degraded_performance'],
    [['degraded_performance', 'partial_outage', 'operational'], 'major', 'partial_outage'],
    [['partial_outage', 'major_outage', 'degraded_performance'], 'critical', 'major_outage'],
    [['operational', 'under_maintenance'], 'maintenance', 'under_maintenance'],
  ] as const)('ranks %j as %s', (statuses, indicator, worst) => {
    expect(overallStatus(statuses)).toMatchObject({ indicator, worst });
  });

  it('lets any outage or slowness outrank maintenance, whatever the order', () => {
    expect(overallStatus(['under_maintenance', 'degraded_performance']).indicator).toBe('minor');
    expect(overallStatus(['degraded_performance', 'under_maintenance']).indicator).toBe('minor');
    expect(overallStatus(['major_outage', 'under_maintenance']).indicator).toBe('critical');
  });
});
