import type { ComponentStatus } from '../components/component-status';
import { html, trusted, type SafeHtml } from './html';
import { STATUS_PAGE_CSS } from './status-page-styles';
import type { StatusPage } from './status-page-model';

// English until the multilingual slice (pt-BR, de, es, en) gives every label a locale.
const LANG = 'en';

export const STATUS_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

// Inline SVG, not an icon font or image: the CSP allows no external or data: assets.
const svg = (body: string) =>
  trusted(`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="12" r="10"/>${body}</svg>`);
const ICONS = {
  ok: svg('<path d="M7.5 12.5l3 3 6-6.5"/>'),
  problem: svg('<path d="M12 7v6"/><path d="M12 17h.01"/>'),
  maintenance: svg('<path d="M12 7v5l3 2"/>'),
};
const iconFor = (status: ComponentStatus) =>
  status === 'operational' ? ICONS.ok : status === 'under_maintenance' ? ICONS.maintenance : ICONS.problem;

// Rendered on the server in UTC: the CSP forbids scripts, so the reader's zone cannot be
// applied in the browser; the <time> element still carries the exact instant.
const UTC_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
export const formatUtc = (at: Date) => `${UTC_FORMAT.format(at)} UTC`;

const componentRow = (c: StatusPage['components'][number]): SafeHtml => html`
      <li class="component" id="component-${c.id}">
        <div><h3>${c.name}</h3>${c.description ? html`<p>${c.description}</p>` : ''}</div>
        <span class="pill ${c.status}">${STATUS_LABELS[c.status]}</span>
      </li>`;

/** The public status page, Statuspage style: banner, components with status pills, last update. */
export function renderStatusPage(page: StatusPage): string {
  const { overall } = page;
  const rows = page.components.length
    ? html`<ul>${page.components.map(componentRow)}
    </ul>`
    : html`<p class="empty">No components yet.</p>`;
  return html`<!doctype html>
<html lang="${LANG}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>${page.name} Status</title>
  <style>${trusted(STATUS_PAGE_CSS)}</style>
</head>
<body>
  <header class="wrap masthead"><h1 class="brand">${page.name} <span>Status</span></h1></header>
  <main class="wrap">
    <section class="banner ${overall.worst}" role="status">${iconFor(overall.worst)}<h2>${overall.description}</h2></section>
    <section class="components" aria-labelledby="components-title">
      <h2 id="components-title">Components</h2>
      ${rows}
    </section>
    <p class="updated">Last updated <time datetime="${page.updatedAt.toISOString()}">${formatUtc(page.updatedAt)}</time></p>
  </main>
  <footer><div class="wrap">Machine-readable: <a href="/api/v2/summary.json">summary.json</a> · <a href="/api/v2/components.json">components.json</a></div></footer>
</body>
</html>
`.value;
}
