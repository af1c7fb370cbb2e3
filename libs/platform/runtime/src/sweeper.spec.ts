import { describe, expect, it } from 'vitest';
import { startSweeper } from './sweeper';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startSweeper', () => {
  it('runs again at once while a run leaves more, never two at once, and not after stop', async () => {
    let active = 0;
    let overlapped = false;
    const results: number[] = [];
    let left = 3;
    const sweeper = startSweeper({
      firstAfterMs: 0,
      everyMs: 60_000,
      sweep: async () => {
        overlapped ||= active++ > 0;
        await tick(5);
        active--;
        return left--;
      },
      again: (n) => n > 1,
      onResult: (n) => results.push(n),
      onError: () => undefined,
    });
    await tick(100);
    await sweeper.stop();
    expect(results).toEqual([3, 2, 1]); // the third said nothing was left: the next waits everyMs
    expect(overlapped).toBe(false);
  });

  it('hands a failed run to onError and tries again everyMs later', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const sweeper = startSweeper({
      firstAfterMs: 0,
      everyMs: 10,
      sweep: async () => {
        runs++;
        throw new Error('down');
      },
      onError: (err) => errors.push(err),
    });
    await tick(60);
    await sweeper.stop();
    const after = runs;
    await tick(30);
    expect(after).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(after);
    expect(runs).toBe(after);
  });
});
