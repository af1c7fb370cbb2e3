import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { NotFoundError, requireUuid } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { messages } from '../db';
import { toMessage, type Message } from './message';


/** Another tenant's message is NOT_FOUND, exactly like a missing one: existence is not revealed. */
export async function getMessage(db: DbOrTx, principal: UserPrincipal, id: string): Promise<Message> {
  requireUuid(id, 'message_id');
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.accountId, principal.accountId)));
  if (!row) throw new NotFoundError(`message ${id} not found`);
  return toMessage(row);
}
