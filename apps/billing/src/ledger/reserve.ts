import type { Db } from '@sabia/db';
import { InvalidArgumentError, invariant } from '@sabia/errors';
import { and, eq, ne, or, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { ensureAccounts } from './accounts';
import { transferId } from './transfer-ids';

export interface ReserveInput {
  tenantId: string;
  messageId: string;
  parts: number;
  partPrice: bigint;
  currency: string;
  timeoutAt: Date;
}

export type ReserveResult = { outcome: 'reserved' | 'no_credit'; amount: bigint; currency: string };

/** Rolls the transaction back when the balance limit refuses the reservation. */
class NoCredit extends Error {}

/**
 * Makes one pending transfer per part, all or nothing. The balance limit is checked when the
 * pending transfer is made (TigerBeetle's rule), in the same UPDATE that reserves the amount,
 * so two concurrent reservations can never both pass the check. The account row is touched
 * last, to hold its lock only until commit. Reserving the same message again finds its
 * transfers (primary-key conflict) and returns the existing reservation.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  if (!Number.isInteger(input.parts) || input.parts < 1 || input.parts > 255) {
    throw new InvalidArgumentError('parts must be between 1 and 255');
  }
  const amount = input.partPrice * BigInt(input.parts);
  const result = { amount, currency: input.currency };
  try {
    return await db.transaction(async (tx) => {
      const { customerId, revenueId } = await ensureAccounts(tx, input.tenantId, input.currency);
      const inserted = await tx
        .insert(transfers)
        .values(
          Array.from({ length: input.parts }, (_, i) => ({
            id: transferId(input.messageId, i + 1, 'pending'),
            tenantId: input.tenantId,
            debitAccountId: customerId,
            creditAccountId: revenueId,
            amount: input.partPrice,
            currency: input.currency,
            kind: 'pending',
            messageId: input.messageId,
            part: i + 1,
            timeoutAt: input.timeoutAt,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: transfers.id });
      if (inserted.length === 0) return { outcome: 'reserved' as const, ...result };
      invariant(inserted.length === input.parts, `partial reservation for message ${input.messageId}`);
      const reserved = await tx
        .update(accounts)
        .set({ debitsPending: sql`${accounts.debitsPending} + ${amount}` })
        .where(
          and(
            eq(accounts.id, customerId),
            or(
              ne(accounts.kind, 'customer_prepaid'),
              sql`${accounts.creditsPosted} - ${accounts.debitsPosted} - ${accounts.debitsPending} >= ${amount}`,
            ),
          ),
        )
        .returning({ id: accounts.id });
      if (reserved.length === 0) throw new NoCredit();
      return { outcome: 'reserved' as const, ...result };
    });
  } catch (err) {
    if (err instanceof NoCredit) return { outcome: 'no_credit', ...result };
    throw err;
  }
}
