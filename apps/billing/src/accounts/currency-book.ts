import type { Db } from '@sabia/db';
import { TtlCache } from '@sabia/runtime';
import { FailedPreconditionError, InvalidArgumentError } from '@sabia/errors';
import { and, eq, ne } from 'drizzle-orm';
import { billingProfiles, transfers } from '../db';

/**
 * Each account's billing currency, held for ttlMs (SetBillingCurrency through this replica
 * clears it). Money is never mixed: a transfer has one currency, and an account's currency can
 * only be chosen before its first transfer.
 */
export class CurrencyBook {
  private readonly cache: TtlCache<string, string>;

  constructor(
    private readonly db: Db,
    private readonly fallback: string,
    ttlMs = 10_000,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  currencyOf(tenantId: string): Promise<string> {
    return this.cache.get(tenantId, () =>
      this.db
        .select({ currency: billingProfiles.currency })
        .from(billingProfiles)
        .where(eq(billingProfiles.tenantId, tenantId))
        .then((rows) => rows[0]?.currency ?? this.fallback),
    );
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}

export async function setBillingCurrency(db: Db, input: { tenantId: string; currency: string; by: string }) {
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new InvalidArgumentError('currency must be an ISO 4217 code such as BRL or USD', { field: 'currency' });
  return db.transaction(async (tx) => {
    const [other] = await tx
      .select({ currency: transfers.currency })
      .from(transfers)
      .where(and(eq(transfers.tenantId, input.tenantId), ne(transfers.currency, input.currency)))
      .limit(1);
    if (other) throw new FailedPreconditionError(`the account already has transfers in ${other.currency}; its currency cannot change`);
    await tx
      .insert(billingProfiles)
      .values({ tenantId: input.tenantId, currency: input.currency, updatedBy: input.by })
      .onConflictDoUpdate({ target: billingProfiles.tenantId, set: { currency: input.currency, updatedBy: input.by, updatedAt: new Date() } });
    return { currency: input.currency };
  });
}
