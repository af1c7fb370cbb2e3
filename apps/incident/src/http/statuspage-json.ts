import type { Component } from '../components/component-status';
import type { StatusPage } from './status-page-model';

// Atlassian Statuspage's public API shape (/api/v2/*.json), so existing widgets, monitors and
// aggregators that read Statuspage pages can read ours unchanged. Keys are snake_case there.

const pageJson = (page: StatusPage) => ({
  name: page.name,
  url: page.url,
  time_zone: 'Etc/UTC',
  updated_at: page.updatedAt.toISOString(),
});

const componentJson = (c: Component) => ({
  id: c.id,
  name: c.name,
  status: c.status,
  position: c.position,
  description: c.description || null,
  updated_at: c.updatedAt.toISOString(),
});

export const componentsJson = (page: StatusPage) => ({
  page: pageJson(page),
  components: page.components.map(componentJson),
});

/** Incidents and maintenance arrive with later slices; the keys exist now so clients need not special-case them. */
export const summaryJson = (page: StatusPage) => ({
  ...componentsJson(page),
  incidents: [],
  scheduled_maintenances: [],
  status: { indicator: page.overall.indicator, description: page.overall.description },
});
