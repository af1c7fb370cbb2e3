import type { Tx } from '@sabia/db';
import { and, eq, sql } from 'drizzle-orm';
import { accounts, transfers } from '../db';
import { transferId } from './transfer-ids';

/**
 * Posts (carrier accepted: SENT_SUCCESS) or voids (any other outcome) every pending part of
 * a message. Each settlement is its own derived-id transfer, so settling twice — or posting
 * after a void — finds the first settlement and changes nothing: a part settles exactly once.
 * Returns the number of parts settled now.
 */
export async function settleMessage(tx: Tx, messageId: string, action: 'post' | 'void'): Promise<number> {
  const pendings = await tx
    .select()
    .from(transfers)
    .where(and(eq(transfers.messageId, messageId), eq(transfers.kind, 'pending')))
    .orderBy(transfers.part);
  let settled = 0;
  for (const pending of pendings) {
    const part = pending.part!;
    const done = await tx
      .select({ id: transfers.id })
      .from(transfers)
      .where(sql`${transfers.id} in (${transferId(messageId, part, 'post')}, ${transferId(messageId, part, 'void')})`);
    if (done.length > 0) continue;
    await tx.insert(transfers).values({
      id: transferId(messageId, part, action),
      tenantId: pending.tenantId,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amount: pending.amount,
      currency: pending.currency,
      kind: action === 'post' ? 'post_pending' : 'void_pending',
      pendingId: pending.id,
      messageId,
      part,
    });
    const posted = action === 'post' ? pending.amount : 0n;
    await tx
      .update(accounts)
      .set({
        debitsPending: sql`${accounts.debitsPending} - ${pending.amount}`,
        debitsPosted: sql`${accounts.debitsPosted} + ${posted}`,
      })
      .where(eq(accounts.id, pending.debitAccountId));
    await tx
      .update(accounts)
      .set({
        creditsPending: sql`${accounts.creditsPending} - ${pending.amount}`,
        creditsPosted: sql`${accounts.creditsPosted} + ${posted}`,
      })
      .where(eq(accounts.id, pending.creditAccountId));
    settled++;
  }
  return settled;
}
