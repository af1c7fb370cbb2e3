import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { requireUuid } from '@sabia/errors';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { callbackAttempts, callbacks } from '../db';

/** A message's callbacks with their attempts, each oldest first; other tenants' messages have none. */
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
  // The latest attempt is on the callback's row; the table holds the ones before it.
  return rows.map((row) => ({
    ...row,
    attempts: [
      ...attempts.filter((a) => a.callbackId === row.id),
      ...(row.lastAttemptAt ? [{ at: row.lastAttemptAt, httpStatus: row.lastHttpStatus ?? 0, error: row.lastError ?? '', durationMs: row.lastDurationMs ?? 0 }] : []),
    ],
  }));
}
