import type { Db } from '@sabia/db';
import { TtlCache } from '@sabia/runtime';
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
  private readonly secretsBy: TtlCache<string, ActiveSecret[]>;
  private readonly disabledBy: TtlCache<string, boolean>;

  constructor(
    private readonly db: Db,
    ttlMs = 5_000,
  ) {
    this.secretsBy = new TtlCache(ttlMs);
    this.disabledBy = new TtlCache(ttlMs);
  }

  secrets(scope: { accountId: string; subaccountId: string }): Promise<ActiveSecret[]> {
    return this.secretsBy.get(`${scope.accountId}\u0000${scope.subaccountId}`, () => activeSecrets(this.db, scope));
  }

  isDisabled(accountId: string, url: string): Promise<boolean> {
    return this.disabledBy.get(`${accountId}\u0000${url}`, async () => {
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
    this.disabledBy.set(`${accountId}\u0000${url}`, Promise.resolve(true));
  }
}
