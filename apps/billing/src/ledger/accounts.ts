import type { DbOrTx } from '@sabia/db';
import { eq } from 'drizzle-orm';
import { accounts } from '../db';
import { controlAccountId, customerAccountId, revenueAccountId } from './transfer-ids';

export type Account = typeof accounts.$inferSelect;

/**
 * Creates on first use a customer's account and the platform revenue and control accounts
 * (control: where top-up money comes from, outside the ledger). New customer
 * accounts are postpaid until prepaid credit is topped up (issue 5 adds plans).
 *
 * Only customer accounts keep running sums: they carry the balance limit, which must be
 * checked atomically when a pending transfer is made. The platform revenue account has no
 * limit, so its balance is derived from transfers on read; keeping running sums on it would
 * make its one row a lock every transaction of every tenant queues on.
 */
export async function ensureAccounts(tx: DbOrTx, tenantId: string, currency: string) {
  const customerId = customerAccountId(tenantId, currency);
  const revenueId = revenueAccountId(currency);
  const controlId = controlAccountId(currency);
  await tx
    .insert(accounts)
    .values([
      { id: customerId, tenantId, kind: 'customer_postpaid', currency },
      { id: revenueId, tenantId: '', kind: 'platform_revenue', currency },
      { id: controlId, tenantId: '', kind: 'platform_control', currency },
    ])
    .onConflictDoNothing();
  return { customerId, revenueId, controlId };
}

// Accounts are created once and never deleted, so a process remembers (per database) which
// exist and skips the statement that creates them.
const known = new WeakMap<object, Set<string>>();

/** ensureAccounts, at most once per process for each customer account. */
export async function ensureAccountsOnce(db: DbOrTx, tenantId: string, currency: string) {
  const customerId = customerAccountId(tenantId, currency);
  let seen = known.get(db);
  if (!seen) known.set(db, (seen = new Set()));
  if (seen.has(customerId)) return { customerId, revenueId: revenueAccountId(currency), controlId: controlAccountId(currency) };
  const ids = await ensureAccounts(db, tenantId, currency);
  seen.add(customerId);
  return ids;
}

export async function findAccount(tx: DbOrTx, id: string): Promise<Account | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** Available = posted credits − posted debits − pending debits (what can still be reserved). */
export const available = (a: Pick<Account, 'creditsPosted' | 'debitsPosted' | 'debitsPending'>): bigint => a.creditsPosted - a.debitsPosted - a.debitsPending;
