import type { Tx } from '@sabia/db';
import { and, eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { transferId } from './transfer-ids';

export type Settlement = 'post' | 'void';

/**
 * Posts (carrier accepted the part: SENT_SUCCESS) or voids (any other outcome) every pending
 * part of a message; `action` decides per part number. A settlement is a transfer with a
 * derived id and a unique pending_id, so the first settlement of a part wins for ever:
 * settling twice, or posting after a void, inserts nothing and changes no balance. Returns
 * the number of parts settled now.
 */
export async function settleMessage(tx: Tx, messageId: string, action: Settlement | ((part: number) => Settlement)): Promise<number> {
  const decide = typeof action === 'function' ? action : () => action;
  const pendings = await tx
    .select()
    .from(transfers)
    .where(and(eq(transfers.messageId, messageId), eq(transfers.kind, 'pending')))
    .orderBy(transfers.part);
  if (pendings.length === 0) return 0;
  const settled = await tx
    .insert(transfers)
    .values(
      pendings.map((pending) => ({
        id: transferId(messageId, pending.part!, decide(pending.part!)),
        tenantId: pending.tenantId,
        debitAccountId: pending.debitAccountId,
        creditAccountId: pending.creditAccountId,
        amount: pending.amount,
        currency: pending.currency,
        kind: decide(pending.part!) === 'post' ? 'post_pending' : 'void_pending',
        pendingId: pending.id,
        messageId,
        part: pending.part,
      })),
    )
    .onConflictDoNothing()
    .returning({ amount: transfers.amount, debitAccountId: transfers.debitAccountId, kind: transfers.kind });
  if (settled.length === 0) return 0;
  const total = settled.reduce((sum, t) => sum + t.amount, 0n);
  const posted = settled.reduce((sum, t) => sum + (t.kind === 'post_pending' ? t.amount : 0n), 0n);
  // All parts of a message debit one customer account: one UPDATE, as the last statement.
  await tx
    .update(accounts)
    .set({
      debitsPending: sql`${accounts.debitsPending} - ${total}`,
      debitsPosted: sql`${accounts.debitsPosted} + ${posted}`,
    })
    .where(eq(accounts.id, settled[0]!.debitAccountId));
  return settled.length;
}
