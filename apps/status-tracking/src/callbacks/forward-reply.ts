import { applyOnce } from '@sabia/bus';
import type { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { callbacks, processedEvents } from '../db';

const CONSUMER = 'status-reply-received';

/**
 * Owes the customer a `message.reply` callback at its MO URL, signed and retried like status
 * callbacks. Replies outside any conversation, or for subaccounts without an MO URL, are kept
 * by sending and owe nothing.
 */
export async function forwardReply(db: Db, eventId: string, reply: sendingEvents.ReplyReceived): Promise<void> {
  if (!reply.moUrl || !reply.messageId) return;
  await db.transaction(async (tx) => {
    if (!(await applyOnce(tx, processedEvents, CONSUMER, eventId))) return;
    const receivedAt = reply.receivedAt ?? new Date();
    const payload = JSON.stringify({
      type: 'message.reply',
      timestamp: receivedAt.toISOString(),
      data: {
        reply_id: reply.replyId,
        message_id: reply.messageId,
        subaccount_id: reply.subaccountId,
        correlation_id: reply.correlationId,
        from: reply.from,
        to: reply.to,
        text: reply.text,
        received_at: receivedAt.toISOString(),
        action: reply.action || null,
      },
    });
    await tx.insert(callbacks).values({
      id: uuidv7(),
      accountId: reply.accountId,
      subaccountId: reply.subaccountId,
      messageId: reply.messageId,
      type: 'message.reply',
      url: reply.moUrl,
      payload,
    });
  });
}
