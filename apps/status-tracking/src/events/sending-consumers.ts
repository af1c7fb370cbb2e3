import { decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { forwardReply } from '../callbacks/forward-reply';
import { recordReceipt } from '../tracking/record-receipt';
import { recordSent } from '../tracking/record-sent';

/** What sending publishes about messages and replies, each on its own durable consumer. */
export async function startSendingConsumers(db: Db, bus: Bus, logger: Logger) {
  const sent = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-message-sent', subject: SUBJECTS.messageSent },
    handle: (event) => recordSent(db, event.id, decodeEvent(sendingEvents.MessageSent, event.data, 'MessageSent')),
  });
  const receipts = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-receipt-received', subject: SUBJECTS.receiptReceived },
    handle: (event) => recordReceipt(db, event.id, decodeEvent(sendingEvents.ReceiptReceived, event.data, 'ReceiptReceived')),
  });
  const replies = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-reply-received', subject: SUBJECTS.replyReceived },
    handle: (event) => forwardReply(db, event.id, decodeEvent(sendingEvents.ReplyReceived, event.data, 'ReplyReceived')),
  });
  return { stop: () => Promise.all([sent.stop(), receipts.stop(), replies.stop()]).then(() => undefined) };
}
