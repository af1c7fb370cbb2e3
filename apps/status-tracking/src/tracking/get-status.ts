import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { InvalidArgumentError, NotFoundError } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { messageStatus } from '../db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One message's two levels. Unknown and other tenants' messages are both NOT_FOUND. */
export async function getStatus(db: DbOrTx, principal: UserPrincipal, messageId: string) {
  if (!UUID.test(messageId)) throw new InvalidArgumentError('message_id must be a UUID', { field: 'message_id' });
  const [row] = await db
    .select()
    .from(messageStatus)
    .where(and(eq(messageStatus.messageId, messageId), eq(messageStatus.accountId, principal.accountId)));
  if (!row) throw new NotFoundError(`no status for message ${messageId} (yet)`);
  return row;
}
