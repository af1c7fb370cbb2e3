import { describe, expect, it } from 'vitest';
import { nextAttemptAt, verdictOf } from './retry-policy';

describe('callback retry policy', () => {
  it.each([
    [200, 'delivered'], [204, 'delivered'], [410, 'disabled'], [429, 'retry'], [500, 'retry'], [503, 'retry'],
    [302, 'failed'], [400, 'failed'], [401, 'failed'], [404, 'failed'],
  ] as const)('HTTP %s → %s', (httpStatus, verdict) => {
    expect(verdictOf({ httpStatus })).toBe(verdict);
  });

  it('retries network errors and never a refused destination', () => {
    expect(verdictOf({ error: 'network' })).toBe('retry');
    expect(verdictOf({ error: 'refused' })).toBe('failed');
  });

  it('backs off exponentially with jitter, capped at an hour, and stops after 24 hours', () => {
    const created = new Date('2026-11-22T00:00:00Z');
    const delay = (attempts: number, random: number) => nextAttemptAt(attempts, created, created, () => random)!.getTime() - created.getTime();
    expect([delay(1, 1), delay(2, 1), delay(3, 1)]).toEqual([5_000, 10_000, 20_000]);
    expect(delay(1, 0)).toBe(2_500); // jitter: between half and all of the delay
    expect(delay(20, 1)).toBe(3600_000);
    const late = new Date(created.getTime() + 23.5 * 3600_000);
    expect(nextAttemptAt(20, created, late, () => 1)).toBeUndefined();
  });
});
