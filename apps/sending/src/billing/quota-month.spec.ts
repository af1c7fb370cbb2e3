import { describe, expect, it } from 'vitest';
import { nextQuotaMonth } from './quota-month';

describe('nextQuotaMonth', () => {
  it('is midnight in São Paulo on the first of the next month', () => {
    expect(nextQuotaMonth(new Date('2026-11-15T12:00:00Z')).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(nextQuotaMonth(new Date('2026-12-31T12:00:00Z')).toISOString()).toBe('2027-01-01T03:00:00.000Z');
  });

  it('follows São Paulo, not UTC, around midnight', () => {
    // 02:00 UTC on 1 December is still 30 November, 23:00, in São Paulo.
    expect(nextQuotaMonth(new Date('2026-12-01T02:00:00Z')).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(nextQuotaMonth(new Date('2026-12-01T03:00:00Z')).toISOString()).toBe('2027-01-01T03:00:00.000Z');
  });
});
