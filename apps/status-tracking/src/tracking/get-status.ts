import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { NotFoundError, requireUuid } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { messageStatus } from '../db';


/** One message's two levels. Unknown and other tenants' messages are both NOT_FOUND. */
export async function getStatus(db: DbOrTx, principal: UserPrincipal, messageId: string) {
  requireUuid(messageId, 'message_id');
  const [row] = await db
    .select()
    .from(messageStatus)
    .where(and(eq(messageStatus.messageId, messageId), eq(messageStatus.accountId, principal.accountId)));
  if (!row) throw new NotFoundError(`no status for message ${messageId} (yet)`);
  return row;
}
