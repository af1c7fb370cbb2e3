import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { available, lockAccounts } from './accounts';
import { transferId } from './transfer-ids';

export interface ReserveInput {
  tenantId: string;
  messageId: string;
  parts: number;
  partPrice: bigint;
  currency: string;
  timeoutAt: Date;
}

export type ReserveResult =
  | { outcome: 'reserved'; amount: bigint; currency: string }
  | { outcome: 'no_credit'; amount: bigint; currency: string };

/**
 * Makes one pending transfer per part, all or nothing. The balance limit is checked here,
 * when the pending transfer is made (TigerBeetle's rule), so a send that would overdraw a
 * prepaid account is refused before anything is submitted. Reserving the same message
 * again returns the existing reservation.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  if (!Number.isInteger(input.parts) || input.parts < 1 || input.parts > 255) {
    throw new InvalidArgumentError('parts must be between 1 and 255');
  }
  const amount = input.partPrice * BigInt(input.parts);
  return db.transaction(async (tx) => {
    const { customer, revenue } = await lockAccounts(tx, input.tenantId, input.currency);
    const ids = Array.from({ length: input.parts }, (_, i) => transferId(input.messageId, i + 1, 'pending'));
    const existing = await tx.select({ id: transfers.id }).from(transfers).where(sql`${transfers.id} in ${ids}`);
    if (existing.length === ids.length) return { outcome: 'reserved', amount, currency: input.currency };
    if (existing.length > 0) throw new Error(`invariant violated: partial reservation for ${input.messageId}`);
    if (customer.kind === 'customer_prepaid' && available(customer) < amount) {
      return { outcome: 'no_credit', amount, currency: input.currency };
    }
    await tx.insert(transfers).values(
      ids.map((id, i) => ({
        id,
        tenantId: input.tenantId,
        debitAccountId: customer.id,
        creditAccountId: revenue.id,
        amount: input.partPrice,
        currency: input.currency,
        kind: 'pending',
        messageId: input.messageId,
        part: i + 1,
        timeoutAt: input.timeoutAt,
      })),
    );
    await tx
      .update(accounts)
      .set({ debitsPending: sql`${accounts.debitsPending} + ${amount}` })
      .where(sql`${accounts.id} = ${customer.id}`);
    await tx
      .update(accounts)
      .set({ creditsPending: sql`${accounts.creditsPending} + ${amount}` })
      .where(sql`${accounts.id} = ${revenue.id}`);
    return { outcome: 'reserved', amount, currency: input.currency };
  });
}
