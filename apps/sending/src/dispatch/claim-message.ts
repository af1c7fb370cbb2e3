import type { Db } from '@sabia/db';
import { and, eq, inArray } from 'drizzle-orm';
import { messages } from '../db';
import type { MessageRow } from '../messages/message';

/**
 * Takes a message for submission (accepted → submitting). A message already `submitting`
 * is taken again: its earlier attempt died before recording an answer. Anything else
 * (cancelled, refused, answered) is not submitted. Cancel only works on `accepted`, so the
 * two can never both win.
 */
export async function claimMessage(db: Db, id: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .update(messages)
    .set({ state: 'submitting' })
    .where(and(eq(messages.id, id), inArray(messages.state, ['accepted', 'submitting'])))
    .returning();
  return row;
}
