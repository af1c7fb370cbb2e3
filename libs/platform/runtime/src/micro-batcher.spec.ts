import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher';

/** A run that records its batches and finishes only when told to. */
function gatedRun() {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => gates.push(() => resolve(items.map((i) => i * 10))));
  };
  return { batches, gates, run };
}

/** Lets scheduled flushes and settled promises run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('MicroBatcher with maxInFlight (group commit)', () => {
  it('sends a lone item at once, without waiting for company', async () => {
    const batcher = new MicroBatcher(async (items: number[]) => items.map((i) => i + 1), { maxBatch: 10, maxInFlight: 1 });
    const started = performance.now();
    expect(await batcher.add(1)).toBe(2);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('gathers what arrives while a batch runs into the next one, each caller getting its own result', async () => {
    const { batches, gates, run } = gatedRun();
    const batcher = new MicroBatcher(run, { maxBatch: 10, maxInFlight: 1 });
    const first = batcher.add(1);
    await settle();
    const later = [2, 3, 4].map((i) => batcher.add(i));
    await settle();
    expect(batches).toEqual([[1]]); // the others wait for the slot
    gates.shift()!();
    expect(await first).toBe(10);
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates.shift()!();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('never runs more than maxInFlight batches, nor more than maxBatch items in one', async () => {
    const { batches, gates, run } = gatedRun();
    const batcher = new MicroBatcher(run, { maxBatch: 3, maxInFlight: 2 });
    const all = Array.from({ length: 8 }, (_, i) => batcher.add(i));
    await settle();
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5]]);
    while (gates.length > 0 || batches.flat().length < 8) {
      gates.shift()?.();
      await settle();
    }
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    gates.forEach((g) => g());
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });
});
