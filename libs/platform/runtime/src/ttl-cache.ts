/**
 * Values read at most once per `ttlMs` per key, for data that changes rarely and is read on a
 * hot path (signing secrets, quotas, currencies). Concurrent readers of a missing key share one
 * load; a failed load is not remembered.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    value.catch(() => this.entries.delete(key));
    this.set(key, value);
    return value;
  }

  set(key: K, value: Promise<V>): void {
    this.entries.set(key, { at: Date.now(), value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
