import type { Db } from '@sabia/db';
import { TtlCache } from '@sabia/runtime';
import { eq, sql } from 'drizzle-orm';
import { accounts, quotas } from '../db';
import { quotaAccountId, quotaPeriod } from './quota-period';

/**
 * Which quota account a reservation counts against. An account with a quota gets one
 * customer_quota ledger account per month, created on first use with the month's limit as its
 * credit; the reservation raises its pending debits in the same statement as the money, and the
 * quota_never_exceeded check refuses what would pass the limit (215), all or nothing.
 * Tenants' quotas are held for ttlMs (SetQuota through this replica clears them at once).
 */
export class QuotaBook {
  private readonly limits: TtlCache<string, bigint | undefined>;
  private readonly knownAccounts = new Set<string>();

  constructor(
    private readonly db: Db,
    ttlMs = 10_000,
  ) {
    this.limits = new TtlCache(ttlMs);
  }

  async accountFor(tenantId: string, at = new Date()): Promise<string | undefined> {
    const limit = await this.limitOf(tenantId);
    if (limit === undefined) return undefined;
    const id = quotaAccountId(tenantId, quotaPeriod(at));
    if (!this.knownAccounts.has(id)) {
      await this.db
        .insert(accounts)
        .values({ id, tenantId, kind: 'customer_quota', currency: 'XPT', creditsPosted: limit })
        .onConflictDoNothing();
      this.knownAccounts.add(id);
    }
    return id;
  }

  forget(tenantId: string): void {
    this.limits.delete(tenantId);
  }

  private limitOf(tenantId: string): Promise<bigint | undefined> {
    return this.limits.get(tenantId, () =>
      this.db
        .select({ monthlyParts: quotas.monthlyParts })
        .from(quotas)
        .where(eq(quotas.tenantId, tenantId))
        .then((rows) => rows[0]?.monthlyParts),
    );
  }
}

/**
 * Sets an account's monthly quota (in SMS parts) and applies it to the current month at once.
 * Lowering it below what the month already used leaves nothing to reserve until next month
 * (the month's credit never drops below its debits, which the ledger's check would refuse).
 */
export async function setQuota(db: Db, input: { tenantId: string; monthlyParts: bigint; by: string }, at = new Date()) {
  const id = quotaAccountId(input.tenantId, quotaPeriod(at));
  await db.transaction(async (tx) => {
    await tx
      .insert(quotas)
      .values({ tenantId: input.tenantId, monthlyParts: input.monthlyParts, updatedBy: input.by })
      .onConflictDoUpdate({ target: quotas.tenantId, set: { monthlyParts: input.monthlyParts, updatedBy: input.by, updatedAt: new Date() } });
    await tx
      .insert(accounts)
      .values({ id, tenantId: input.tenantId, kind: 'customer_quota', currency: 'XPT', creditsPosted: input.monthlyParts })
      .onConflictDoUpdate({
        target: accounts.id,
        set: { creditsPosted: sql`greatest(${input.monthlyParts.toString()}::bigint, ${accounts.debitsPending} + ${accounts.debitsPosted})` },
      });
  });
  return quotaUsage(db, input.tenantId, at);
}

/** The month's limit, and the parts reserved (pending) and used (posted) against it. */
export async function quotaUsage(db: Db, tenantId: string, at = new Date()) {
  const period = quotaPeriod(at);
  const [quota] = await db.select().from(quotas).where(eq(quotas.tenantId, tenantId));
  const [account] = await db.select().from(accounts).where(eq(accounts.id, quotaAccountId(tenantId, period)));
  return {
    period,
    limited: Boolean(quota),
    monthlyParts: quota?.monthlyParts ?? 0n,
    pendingParts: account?.debitsPending ?? 0n,
    usedParts: account?.debitsPosted ?? 0n,
  };
}
