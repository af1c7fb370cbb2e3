import type { Db } from '@sabia/db';
import { and, inArray, sql } from 'drizzle-orm';
import { messages } from '../db';
import type { MessageRow } from '../messages/message';

/**
 * Takes messages for submission (accepted → submitting), in one statement. A message already
 * `submitting` is taken again: its earlier attempt died before recording an answer. Anything
 * else (cancelled, refused, answered) is not submitted. Cancel only works on `accepted`, so the
 * two can never both win.
 */
export async function claimMessages(db: Db, ids: string[]): Promise<Map<string, MessageRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .update(messages)
    .set({ state: 'submitting' })
    // One array parameter, not one per id: cheaper to build and to parse for a batch of hundreds.
    .where(and(sql`${messages.id} = any(${sql.param(ids)}::uuid[])`, inArray(messages.state, ['accepted', 'submitting'])))
    .returning();
  return new Map(rows.map((r) => [r.id, r]));
}
