import { describe, expect, it } from 'vitest';
import { zonedMidnight } from './zoned-midnight';

describe('zonedMidnight', () => {
  it('is 03:00Z in São Paulo (UTC-3) and midnight in UTC', () => {
    expect(zonedMidnight('2026-11-01', 'America/Sao_Paulo').toISOString()).toBe('2026-11-01T03:00:00.000Z');
    expect(zonedMidnight('2026-11-30', 'America/Sao_Paulo', 1).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(zonedMidnight('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('refuses what is not a date', () => {
    expect(() => zonedMidnight('1/11/2026', 'UTC')).toThrow(/YYYY-MM-DD/);
  });
});
