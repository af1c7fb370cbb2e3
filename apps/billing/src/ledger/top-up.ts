import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { available, lockAccounts } from './accounts';
import { topUpTransferId } from './transfer-ids';

/**
 * Adds prepaid credit. The first top-up turns a postpaid account prepaid: from then on its
 * debits may never exceed its credits. The idempotency key names the transfer.
 */
export async function topUp(db: Db, input: { tenantId: string; amount: bigint; currency: string; idempotencyKey: string }) {
  if (input.amount <= 0n) throw new InvalidArgumentError('amount must be greater than zero');
  if (!input.idempotencyKey) throw new InvalidArgumentError('idempotency_key is required');
  return db.transaction(async (tx) => {
    const { customer, revenue } = await lockAccounts(tx, input.tenantId, input.currency);
    const inserted = await tx
      .insert(transfers)
      .values({
        id: topUpTransferId(input.tenantId, input.idempotencyKey),
        tenantId: input.tenantId,
        debitAccountId: revenue.id,
        creditAccountId: customer.id,
        amount: input.amount,
        currency: input.currency,
        kind: 'single',
      })
      .onConflictDoNothing()
      .returning({ id: transfers.id });
    if (inserted.length === 1) {
      await tx
        .update(accounts)
        .set({ kind: 'customer_prepaid', creditsPosted: sql`${accounts.creditsPosted} + ${input.amount}` })
        .where(eq(accounts.id, customer.id));
      await tx
        .update(accounts)
        .set({ debitsPosted: sql`${accounts.debitsPosted} + ${input.amount}` })
        .where(eq(accounts.id, revenue.id));
    }
    const [after] = await tx.select().from(accounts).where(eq(accounts.id, customer.id));
    return { available: available(after!) };
  });
}
