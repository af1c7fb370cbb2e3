import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { common } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { SENT_STATUS } from '@sabia/status-codes';
import { and, asc, eq } from 'drizzle-orm';
import { messageParts, messages, outbox } from '../db';
import { messageSentEvent } from '../messages/message-sent-event';

/**
 * The rule that turns part answers into the message's first level: SENT_SUCCESS only when
 * every part got it; otherwise the answer of the first part that did not. Parts never
 * submitted (the dispatch stopped at a refused part, expired or gave up) take `unsent`.
 */
export function messageSentStatus(parts: Array<{ sentStatus: number }>): number {
  return parts.find((p) => p.sentStatus !== SENT_STATUS.SENT_SUCCESS)?.sentStatus ?? SENT_STATUS.SENT_SUCCESS;
}

const stateOf = (sentStatus: number) =>
  sentStatus === SENT_STATUS.SENT_SUCCESS ? 'submitted' : sentStatus === SENT_STATUS.EXPIRED ? 'expired' : 'failed';

/**
 * Ends a message's submission: parts without an answer are recorded with `unsent`, the
 * message gets its first level and MessageSent carries every part's (billing posts exactly
 * the parts a carrier accepted). Returns false when the message was not being submitted
 * (already finished by an earlier delivery of the same event).
 */
export async function finishSubmission(
  db: Db,
  input: { messageId: string; carrier: string; totalParts: number; unsent: number },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const recorded = await tx.select().from(messageParts).where(eq(messageParts.messageId, input.messageId)).orderBy(asc(messageParts.part));
    const byPart = new Map(recorded.map((p) => [p.part, p]));
    const missing = [];
    for (let part = 1; part <= input.totalParts; part++) {
      if (!byPart.has(part)) missing.push({ messageId: input.messageId, part, carrier: input.carrier, carrierMessageId: null, sentStatus: input.unsent });
    }
    if (missing.length > 0) await tx.insert(messageParts).values(missing).onConflictDoNothing();
    const parts = [...recorded, ...missing].sort((a, b) => a.part - b.part);
    const sentStatus = messageSentStatus(parts);
    const [row] = await tx
      .update(messages)
      .set({
        state: stateOf(sentStatus),
        sentStatus,
        carrier: input.carrier,
        carrierMessageId: parts[0]?.carrierMessageId ?? null,
        submittedAt: new Date(),
      })
      .where(and(eq(messages.id, input.messageId), eq(messages.state, 'submitting')))
      .returning();
    if (!row) return false;
    const partStatuses: common.PartStatus[] = parts.map((p) => ({ part: p.part, sentStatus: p.sentStatus, carrierMessageId: p.carrierMessageId ?? '' }));
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.messageSent, payload: messageSentEvent(row, partStatuses) }]);
    return true;
  });
}
