import type { Db } from '@sabia/db';
import { asc } from 'drizzle-orm';
import { prices } from '../db';
import { pickPrice, type PriceQuery, type PriceRow } from './pick-price';

export interface UnitPrice {
  unitPrice: bigint;
  /** The prices row, or 'config-default' when no row applies. */
  priceId: string;
}

/**
 * Every price row, held in memory and re-read at most every `ttlMs` (price lists are small and
 * change rarely; a reservation must not pay a query for its price). A change made through this
 * replica is seen at once (`invalidate`); other replicas within ttlMs, and only prices
 * effective from a future date are meant to be set anyway.
 */
export class PriceBook {
  private rows: Promise<PriceRow[]> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly fallback: { unitPrice: bigint },
    private readonly ttlMs = 10_000,
  ) {}

  async priceOf(q: PriceQuery): Promise<UnitPrice> {
    return this.resolve(await this.all(), q);
  }

  /**
   * A pricer for many queries at once (a batch of 10,000 recipients): the rows are read once
   * and each distinct destination is priced once.
   */
  async pricer(): Promise<(q: PriceQuery) => UnitPrice> {
    const rows = await this.all();
    const memo = new Map<string, UnitPrice>();
    return (q) => {
      const key = `${q.accountId}\u0000${q.channel}\u0000${q.country}\u0000${q.carrier}\u0000${q.currency}`;
      let price = memo.get(key);
      if (!price) memo.set(key, (price = this.resolve(rows, q)));
      return price;
    };
  }

  private resolve(rows: PriceRow[], q: PriceQuery): UnitPrice {
    const row = pickPrice(rows, q);
    return row ? { unitPrice: row.unitPrice, priceId: row.id } : { unitPrice: this.fallback.unitPrice, priceId: 'config-default' };
  }

  invalidate(): void {
    this.rows = undefined;
  }

  private all(): Promise<PriceRow[]> {
    if (!this.rows || Date.now() - this.loadedAt > this.ttlMs) {
      this.loadedAt = Date.now();
      // execute(): a drizzle query is a thenable that runs again on every await; the book
      // must hold the one result, not the query.
      this.rows = this.db.select().from(prices).orderBy(asc(prices.effectiveFrom)).execute();
      this.rows.catch(() => (this.rows = undefined));
    }
    return this.rows;
  }
}
