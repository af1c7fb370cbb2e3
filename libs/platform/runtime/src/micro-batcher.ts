/**
 * Gathers items for up to `maxWaitMs` (or until `maxBatch`) and hands them to `run` together,
 * so a hot path pays one database round trip per batch instead of one per item. Each caller's
 * promise settles with its own result when its batch's run does (or fails with it).
 */
export class MicroBatcher<T, R> {
  private waiting: Array<{ item: T; resolve(r: R): void; reject(e: unknown): void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly opts: { maxBatch: number; maxWaitMs: number },
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.opts.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.opts.maxBatch);
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
      (err) => batch.forEach((b) => b.reject(err)),
    );
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), this.opts.maxWaitMs);
  }
}
