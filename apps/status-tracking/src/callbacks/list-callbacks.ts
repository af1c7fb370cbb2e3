import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { requireUuid } from '@sabia/errors';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { callbackAttempts, callbacks } from '../db';

/** A message's callbacks with their attempts, oldest first; other tenants' messages have none. */
export async function listCallbacks(db: Db, principal: UserPrincipal, messageId: string) {
  requireUuid(messageId, 'message_id');
  const rows = await db
    .select()
    .from(callbacks)
    .where(and(eq(callbacks.messageId, messageId), eq(callbacks.accountId, principal.accountId)))
    .orderBy(asc(callbacks.id));
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(callbackAttempts)
    .where(inArray(callbackAttempts.callbackId, rows.map((r) => r.id)))
    .orderBy(asc(callbackAttempts.id));
  return rows.map((row) => ({ ...row, attempts: attempts.filter((a) => a.callbackId === row.id) }));
}
