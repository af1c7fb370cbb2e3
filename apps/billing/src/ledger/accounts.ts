import type { DbOrTx } from '@sabia/db';
import { eq, sql } from 'drizzle-orm';
import { accounts } from '../db';
import { customerAccountId, revenueAccountId } from './transfer-ids';

export type Account = typeof accounts.$inferSelect;

/**
 * Locks (creating on first use) a customer's account and the platform revenue account,
 * always in id order so two transactions can never deadlock on the pair.
 * New customer accounts are postpaid until prepaid credit is topped up (issue 5 adds plans).
 */
export async function lockAccounts(tx: DbOrTx, tenantId: string, currency: string) {
  const customerId = customerAccountId(tenantId, currency);
  const revenueId = revenueAccountId(currency);
  await tx
    .insert(accounts)
    .values([
      { id: customerId, tenantId, kind: 'customer_postpaid', currency },
      { id: revenueId, tenantId: '', kind: 'platform_revenue', currency },
    ])
    .onConflictDoNothing();
  const rows = await tx
    .select()
    .from(accounts)
    .where(sql`${accounts.id} in (${customerId}, ${revenueId})`)
    .orderBy(accounts.id)
    .for('update');
  const customer = rows.find((r) => r.id === customerId)!;
  const revenue = rows.find((r) => r.id === revenueId)!;
  return { customer, revenue };
}

export async function findAccount(tx: DbOrTx, id: string): Promise<Account | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** Available = posted credits − posted debits − pending debits (what can still be reserved). */
export const available = (a: Account): bigint => a.creditsPosted - a.debitsPosted - a.debitsPending;
