import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { available, ensureAccounts } from './accounts';
import { topUpTransferId } from './transfer-ids';

/**
 * Adds prepaid credit. The first top-up turns a postpaid account prepaid: from then on its
 * debits may never exceed its credits. The idempotency key names the transfer.
 */
export async function topUp(db: Db, input: { tenantId: string; amount: bigint; currency: string; idempotencyKey: string }) {
  if (input.amount <= 0n) throw new InvalidArgumentError('amount must be greater than zero');
  if (!input.idempotencyKey) throw new InvalidArgumentError('idempotency_key is required');
  return db.transaction(async (tx) => {
    const { customerId, controlId } = await ensureAccounts(tx, input.tenantId, input.currency);
    const inserted = await tx
      .insert(transfers)
      .values({
        id: topUpTransferId(input.tenantId, input.idempotencyKey),
        tenantId: input.tenantId,
        debitAccountId: controlId,
        creditAccountId: customerId,
        amount: input.amount,
        currency: input.currency,
        kind: 'single',
      })
      .onConflictDoNothing()
      .returning({ id: transfers.id });
    const credit = inserted.length === 1 ? input.amount : 0n;
    const [after] = await tx
      .update(accounts)
      .set({ kind: 'customer_prepaid', creditsPosted: sql`${accounts.creditsPosted} + ${credit}` })
      .where(eq(accounts.id, customerId))
      .returning();
    return { available: available(after!) };
  });
}
