import { describe, expect, it } from 'vitest';
import { machineTicks, stolenPercent } from './cpu-meter';

describe("the host's share of the machine's CPU", () => {
  it('is the stolen ticks over all ticks between two samples, in percent', () => {
    expect(stolenPercent({ total: 1000, stolen: 10 }, { total: 3000, stolen: 60 })).toBe(2.5);
    expect(stolenPercent({ total: 1000, stolen: 10 }, { total: 3000, stolen: 10 })).toBe(0);
  });

  it('is unknown when a sample is missing or no time passed', () => {
    expect(stolenPercent(undefined, { total: 3000, stolen: 60 })).toBeNull();
    expect(stolenPercent({ total: 1000, stolen: 10 }, undefined)).toBeNull();
    expect(stolenPercent({ total: 1000, stolen: 10 }, { total: 1000, stolen: 10 })).toBeNull();
  });

  it.runIf(process.platform === 'linux')("reads this machine's counters, which only grow", async () => {
    const first = machineTicks()!;
    const until = performance.now() + 50;
    while (performance.now() < until);
    await new Promise((r) => setTimeout(r, 30));
    const second = machineTicks()!;
    expect(first.stolen).toBeLessThanOrEqual(first.total);
    expect(second.total).toBeGreaterThan(first.total);
    expect(second.stolen).toBeGreaterThanOrEqual(first.stolen);
    const share = stolenPercent(first, second)!;
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(100);
  });
});
