import { describe, expect, it } from 'vitest';
import { UnrecordedSubmissions } from './unrecorded-submissions';

const tick = () => new Promise((r) => setImmediate(r));

describe('UnrecordedSubmissions', () => {
  it('holds a receipt batch until the submits it names are recorded, and forgets them then', async () => {
    const unrecorded = new UnrecordedSubmissions();
    let record!: () => void;
    unrecorded.track('vivo', 'id-1', new Promise<void>((r) => (record = r)));
    let waited = false;
    const waiting = unrecorded.recorded([{ carrier: 'vivo', carrierMessageId: 'id-1' }, { carrier: 'vivo', carrierMessageId: 'other' }]).then(() => (waited = true));
    await tick();
    expect(waited).toBe(false);
    record();
    await waiting;
    expect(waited).toBe(true);
    expect(unrecorded.size).toBe(0);
  });

  it('holds a receipt batch no longer than its cap when the recording is slow', async () => {
    const unrecorded = new UnrecordedSubmissions();
    unrecorded.track('vivo', 'id-1', new Promise<void>(() => undefined)); // never recorded
    const started = performance.now();
    await unrecorded.recorded([{ carrier: 'vivo', carrierMessageId: 'id-1' }], 50);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(1_000);
  });

  it('does not hold receipts for ids it was never told of, nor the same id at another carrier', async () => {
    const unrecorded = new UnrecordedSubmissions();
    unrecorded.track('vivo', 'id-1', new Promise<void>(() => undefined));
    let waited = false;
    await unrecorded.recorded([{ carrier: 'claro', carrierMessageId: 'id-1' }]).then(() => (waited = true));
    expect(waited).toBe(true);
  });

  it('lets a failed recording go too (the receipt then takes the locked path)', async () => {
    const unrecorded = new UnrecordedSubmissions();
    unrecorded.track('vivo', 'id-1', Promise.reject(new Error('insert failed')));
    await unrecorded.recorded([{ carrier: 'vivo', carrierMessageId: 'id-1' }]);
    await tick();
    expect(unrecorded.size).toBe(0);
  });
});
