/**
 * Gathers items and hands them to `run` together, so a hot path pays one round trip per batch
 * instead of one per item. Each caller's promise settles with its own result when its batch's
 * run does (or fails with it). Two ways to decide when a batch goes:
 * - `maxWaitMs`: up to that long after its first item (or at `maxBatch` items);
 * - `maxInFlight`: at once while fewer than that many batches run, else as soon as one ends,
 *   with everything that arrived meanwhile. No wait when the path is idle, and batches that
 *   grow with the load when it is not (group commit).
 */
export class MicroBatcher<T, R> {
  private waiting: Array<{ item: T; resolve(r: R): void; reject(e: unknown): void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly opts: { maxBatch: number } & ({ maxWaitMs: number } | { maxInFlight: number }),
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if ('maxInFlight' in this.opts) this.schedule();
      else if (this.waiting.length >= this.opts.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    });
  }

  /** Flush after the current tick, so the calls made in it share a batch. */
  private schedule(): void {
    if (this.scheduled || !('maxInFlight' in this.opts) || this.inFlight >= this.opts.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.opts.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    // Through a promise even if run throws at once, so the slot is always given back.
    Promise.resolve()
      .then(() => this.run(batch.map((b) => b.item)))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        (err) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0 && 'maxInFlight' in this.opts) this.schedule();
      });
    if (this.waiting.length > 0) {
      if ('maxInFlight' in this.opts) this.schedule();
      else this.timer = setTimeout(() => this.flush(), this.opts.maxWaitMs);
    }
  }
}
