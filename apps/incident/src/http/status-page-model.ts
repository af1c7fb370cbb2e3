import type { Component } from '../components/component-status';
import { overallStatus, type OverallStatus } from '../components/overall-status';

/** What both the HTML page and the JSON API show; built once per request. */
export interface StatusPage {
  name: string;
  url: string;
  components: Component[];
  overall: OverallStatus;
  /** The latest component change; `now` when there are no components yet. */
  updatedAt: Date;
}

export function buildStatusPage(meta: { name: string; url: string }, components: Component[], now = new Date()): StatusPage {
  const latest = Math.max(...components.map((c) => c.updatedAt.getTime()));
  return {
    ...meta,
    components,
    overall: overallStatus(components.map((c) => c.status)),
    updatedAt: Number.isFinite(latest) ? new Date(latest) : now,
  };
}
