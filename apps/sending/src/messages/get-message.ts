import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { InvalidArgumentError, NotFoundError } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { messages } from '../db';
import { toMessage, type Message } from './message';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Another tenant's message is NOT_FOUND, exactly like a missing one: existence is not revealed. */
export async function getMessage(db: DbOrTx, principal: UserPrincipal, id: string): Promise<Message> {
  if (!UUID.test(id)) throw new InvalidArgumentError('message_id must be a UUID', { field: 'message_id' });
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.accountId, principal.accountId)));
  if (!row) throw new NotFoundError(`message ${id} not found`);
  return toMessage(row);
}
