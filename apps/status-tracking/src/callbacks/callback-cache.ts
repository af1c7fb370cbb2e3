import type { Db } from '@sabia/db';
import { and, eq } from 'drizzle-orm';
import { disabledEndpoints } from '../db';
import { activeSecrets, type ActiveSecret } from './webhook-secrets';

/**
 * What every callback needs and rarely changes, read at most once per `ttlMs` per key:
 * signing secrets (a rotation keeps the old one valid for 24 h, so seconds of staleness sign
 * nothing wrongly) and disabled endpoints (a callback may reach an endpoint for seconds after
 * its 410, which it answers with 410 again).
 */
export class CallbackCache {
  private readonly secretsBy = new Map<string, { at: number; value: Promise<ActiveSecret[]> }>();
  private readonly disabledBy = new Map<string, { at: number; value: Promise<boolean> }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5_000,
  ) {}

  secrets(scope: { accountId: string; subaccountId: string }): Promise<ActiveSecret[]> {
    return this.cached(this.secretsBy, `${scope.accountId}\u0000${scope.subaccountId}`, () => activeSecrets(this.db, scope));
  }

  isDisabled(accountId: string, url: string): Promise<boolean> {
    return this.cached(this.disabledBy, `${accountId}\u0000${url}`, async () => {
      const [row] = await this.db
        .select({ url: disabledEndpoints.url })
        .from(disabledEndpoints)
        .where(and(eq(disabledEndpoints.accountId, accountId), eq(disabledEndpoints.url, url)));
      return Boolean(row);
    });
  }

  /** A rotation through this replica is used at once (other replicas catch up within ttlMs). */
  forgetSecrets(scope: { accountId: string; subaccountId: string }): void {
    this.secretsBy.delete(`${scope.accountId}\u0000${scope.subaccountId}`);
  }

  /** This replica saw the 410 itself: no need to wait for the cache to expire. */
  markDisabled(accountId: string, url: string): void {
    this.disabledBy.set(`${accountId}\u0000${url}`, { at: Date.now(), value: Promise.resolve(true) });
  }

  private cached<T>(map: Map<string, { at: number; value: Promise<T> }>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    value.catch(() => map.delete(key)); // a failed read is not remembered
    map.set(key, { at: Date.now(), value });
    if (map.size > 10_000) map.delete(map.keys().next().value!);
    return value;
  }
}
