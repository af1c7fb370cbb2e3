import { describe, expect, it } from 'vitest';
import type { Component } from '../components/component-status';
import { buildStatusPage } from './status-page-model';
import { componentsJson, summaryJson } from './statuspage-json';

const components: Component[] = [
  { id: 'sms-api', name: 'SMS API', description: '', position: 1, status: 'major_outage', updatedAt: new Date('2023-06-27T16:30:00Z') },
  { id: 'billing', name: 'Billing', description: 'Invoices.', position: 2, status: 'operational', updatedAt: new Date('2023-06-01T00:00:00Z') },
];
const page = buildStatusPage({ name: 'Sabiá', url: 'https://status.example/' }, components);

describe('Statuspage JSON', () => {
  it('summary has page, components, incidents, maintenances and the overall status', () => {
    expect(summaryJson(page)).toEqual({
      page: { name: 'Sabiá', url: 'https://status.example/', time_zone: 'Etc/UTC', updated_at: '2023-06-27T16:30:00.000Z' },
      components: [
        { id: 'sms-api', name: 'SMS API', status: 'major_outage', position: 1, description: null, updated_at: '2023-06-27T16:30:00.000Z' },
        { id: 'billing', name: 'Billing', status: 'operational', position: 2, description: 'Invoices.', updated_at: '2023-06-01T00:00:00.000Z' },
      ],
      incidents: [],
      scheduled_maintenances: [],
      status: { indicator: 'critical', description: 'Major System Outage' },
    });
  });

  it('components.json is the summary without incidents or status', () => {
    expect(Object.keys(componentsJson(page))).toEqual(['page', 'components']);
  });

  it('a page with no components is updated "now"', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    expect(buildStatusPage({ name: 'x', url: 'y' }, [], now).updatedAt).toBe(now);
  });
});
