import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { requireUuid } from '@sabia/errors';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { callbackAttempts, callbacks } from '../db';

/** A message's callbacks with their attempts, each oldest first; other tenants' messages have none. */
export async function listCallbacks(db: Db, principal: UserPrincipal, messageId: string) {
  requireUuid(messageId, 'message_id');
  // One snapshot for both reads: an attempt recorded between them moves the latest attempt
  // from the callback's row to the table, and would be listed twice or not at all.
  return db.transaction(
    async (tx) => {
      const rows = await tx
        .select()
        .from(callbacks)
        .where(and(eq(callbacks.messageId, messageId), eq(callbacks.accountId, principal.accountId)))
        .orderBy(asc(callbacks.id));
      if (rows.length === 0) return [];
      const attempts = await tx
        .select()
        .from(callbackAttempts)
        .where(inArray(callbackAttempts.callbackId, rows.map((r) => r.id)))
        .orderBy(asc(callbackAttempts.id));
      // The latest attempt is on the callback's row; the table holds the ones before it. By
      // time, not by where each is: a version before the row kept the latest wrote every
      // attempt to the table (and a rolling deploy runs both for a while).
      return rows.map((row) => ({
        ...row,
        attempts: [
          ...attempts.filter((a) => a.callbackId === row.id),
          ...(row.lastAttemptAt ? [{ at: row.lastAttemptAt, httpStatus: row.lastHttpStatus ?? 0, error: row.lastError ?? '', durationMs: row.lastDurationMs ?? 0 }] : []),
        ].sort((a, b) => a.at.getTime() - b.at.getTime()),
      }));
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
