import { applyOnce, enqueueEvents, SUBJECTS } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { invariant } from '@sabia/errors';
import { DELIVERED_STATUS, SENT_STATUS } from '@sabia/status-codes';
import { eq, sql } from 'drizzle-orm';
import { messageStatus, outbox, processedEvents, statusHistory } from '../db';
import { enqueueStatusCallback } from '../callbacks/enqueue-callback';
import { isFinalDelivered } from './final-delivered';
import { statusChangedEvent } from './status-changed-event';

const CONSUMER = 'status-message-sent';

/**
 * Records a message's first level. The first answer wins: a first level is final, so a
 * later, different one is a bug upstream and is refused loudly instead of rewriting history.
 */
export async function recordSent(db: Db, eventId: string, sent: sendingEvents.MessageSent): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await applyOnce(tx, processedEvents, CONSUMER, eventId))) return;
    const at = sent.at ?? new Date();
    const [row] = await tx
      .insert(messageStatus)
      .values({
        messageId: sent.messageId,
        accountId: sent.accountId,
        subaccountId: sent.subaccountId,
        parts: sent.parts || 1,
        carrier: sent.carrier,
        carrierMessageId: sent.carrierMessageId,
        correlationId: sent.correlationId,
        callbackUrl: sent.callbackUrl,
        to: sent.to,
        sentStatus: sent.sentStatus,
        sentAt: at,
      })
      .onConflictDoUpdate({
        target: messageStatus.messageId,
        set: {
          sentStatus: sql`coalesce(${messageStatus.sentStatus}, excluded.sent_status)`,
          sentAt: sql`coalesce(${messageStatus.sentAt}, excluded.sent_at)`,
          parts: sql`excluded.parts`,
          carrier: sql`excluded.carrier`,
          carrierMessageId: sql`excluded.carrier_message_id`,
          correlationId: sql`excluded.correlation_id`,
          callbackUrl: sql`excluded.callback_url`,
          to: sql`excluded.to`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    invariant(row!.sentStatus === sent.sentStatus, `message ${sent.messageId} already has first level ${row!.sentStatus}, got ${sent.sentStatus}`);
    await tx.insert(statusHistory).values({ messageId: sent.messageId, accountId: sent.accountId, level: 1, code: sent.sentStatus, at });
    const events = [{ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(row!, { sentStatus: sent.sentStatus, at, partStatuses: sent.partStatuses }) }];
    // A split message's second level starts as 401 MESSAGE_SPLIT until its parts' receipts
    // decide it (deliveredStatusOfParts); receipts that came first have decided already.
    if (sent.sentStatus === SENT_STATUS.SENT_SUCCESS && row!.parts > 1 && row!.deliveredStatus === null) {
      const [split] = await tx
        .update(messageStatus)
        .set({ deliveredStatus: DELIVERED_STATUS.MESSAGE_SPLIT, deliveredAt: at })
        .where(eq(messageStatus.messageId, sent.messageId))
        .returning();
      await tx.insert(statusHistory).values({
        messageId: sent.messageId, accountId: sent.accountId, level: 2, code: DELIVERED_STATUS.MESSAGE_SPLIT, detail: `sent in ${row!.parts} parts`, at,
      });
      events.push({ subject: SUBJECTS.statusChanged, payload: statusChangedEvent(split!, { deliveredStatus: DELIVERED_STATUS.MESSAGE_SPLIT, at }) });
    }
    await enqueueEvents(tx, outbox, events);
    await enqueueStatusCallback(tx, 'message.sent', row!, at);
    // Receipts that overtook the first level held back their callback, so the customer hears
    // "sent" before "delivered".
    if (row!.deliveredStatus !== null && isFinalDelivered(row!.deliveredStatus)) {
      await enqueueStatusCallback(tx, 'message.delivered', row!, row!.deliveredAt ?? at);
    }
  });
}
