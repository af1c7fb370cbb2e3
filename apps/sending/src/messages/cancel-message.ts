import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { FailedPreconditionError, NotFoundError, requireUuid } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { messages } from '../db';
import { toMessage, type Message } from './message';


/**
 * Cancels a message the dispatcher has not claimed yet. The dispatcher claims a message
 * (accepted → submitting) before it submits, so a cancelled message can never reach a
 * carrier. The caller releases its billing reservation after this commits.
 */
export async function cancelMessage(db: Db, principal: UserPrincipal, id: string): Promise<Message> {
  requireUuid(id, 'message_id');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.id, id), eq(messages.accountId, principal.accountId)))
      .for('update');
    if (!row) throw new NotFoundError(`message ${id} not found`);
    if (row.state !== 'accepted') throw new FailedPreconditionError(`message ${id} can no longer be cancelled: it is ${row.state}`);
    const [cancelled] = await tx.update(messages).set({ state: 'cancelled' }).where(eq(messages.id, id)).returning();
    return toMessage(cancelled!);
  });
}
