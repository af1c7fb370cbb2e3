import { describe, expect, it } from 'vitest';
import type { Component } from '../components/component-status';
import { formatUtc, renderStatusPage } from './render-status-page';
import { buildStatusPage } from './status-page-model';

const at = new Date('2023-06-27T16:30:00Z');
const component = (overrides: Partial<Component> = {}): Component => ({
  id: 'sms-api', name: 'SMS API', description: 'Sending SMS.', position: 1, status: 'operational', updatedAt: at, ...overrides,
});
const render = (components: Component[]) => renderStatusPage(buildStatusPage({ name: 'Sabiá', url: 'https://status.example' }, components));

describe('renderStatusPage', () => {
  it('is a complete document with a language, a title and the all-clear banner', () => {
    const page = render([component()]);
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<title>Sabiá Status</title>');
    expect(page).toContain('<section class="banner operational" role="status">');
    expect(page).toContain('All Systems Operational');
    expect(page).toContain('<span class="pill operational">Operational</span>');
  });

  it('shows the worst status in the banner and each status on its own pill', () => {
    const page = render([component(), component({ id: 'billing', name: 'Billing', status: 'partial_outage' })]);
    expect(page).toContain('<section class="banner partial_outage" role="status">');
    expect(page).toContain('Partial System Outage');
    expect(page).toContain('<span class="pill partial_outage">Partial outage</span>');
  });

  it('escapes names and descriptions', () => {
    const page = render([component({ name: '<img src=x onerror=alert(1)>', description: '"quoted" & <b>' })]);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('states the last update in UTC with the exact instant in <time>', () => {
    const page = render([component(), component({ id: 'b', updatedAt: new Date('2023-06-28T13:30:00Z') })]);
    expect(page).toContain('<time datetime="2023-06-28T13:30:00.000Z">28 Jun 2023, 13:30 UTC</time>');
    expect(formatUtc(at)).toBe('27 Jun 2023, 16:30 UTC');
  });

  it('links the JSON API and renders a page without components', () => {
    const page = render([]);
    expect(page).toContain('href="/api/v2/summary.json"');
    expect(page).toContain('No components yet.');
  });
});
