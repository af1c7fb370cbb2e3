import { decodeEvent, startBatchConsumer, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import type { CallbackHandOff } from '../callbacks/callback-handoff';
import { forwardReply } from '../callbacks/forward-reply';
import { recordReceipts } from '../tracking/record-receipt';
import { recordSent } from '../tracking/record-sent';

/**
 * What sending publishes about messages and replies, each on its own durable consumer. First
 * levels and receipts come by the thousand a second, so they are recorded in batches (one
 * transaction each); an undecodable event fails alone.
 */
export async function startSendingConsumers(db: Db, bus: Bus, logger: Logger, handOff?: CallbackHandOff) {
  const sent = await startBatchConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-message-sent', subject: SUBJECTS.messageSent },
    handleBatch: async (events) => {
      const facts = events.map((e) => ({ eventId: e.id, sent: decodeEvent(sendingEvents.MessageSent, e.data, 'MessageSent'), traceContext: e.traceContext }));
      await recordSent(db, facts, handOff);
      return events.map(() => 'ok' as const);
    },
  });
  const receipts = await startBatchConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-receipt-received', subject: SUBJECTS.receiptReceived },
    handleBatch: async (events) => {
      const facts = events.map((e) => ({ eventId: e.id, receipt: decodeEvent(sendingEvents.ReceiptReceived, e.data, 'ReceiptReceived'), traceContext: e.traceContext }));
      await recordReceipts(db, facts, handOff);
      return events.map(() => 'ok' as const);
    },
  });
  const replies = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-reply-received', subject: SUBJECTS.replyReceived },
    handle: (event) => forwardReply(db, event.id, decodeEvent(sendingEvents.ReplyReceived, event.data, 'ReplyReceived')),
  });
  return { stop: () => Promise.all([sent.stop(), receipts.stop(), replies.stop()]).then(() => undefined) };
}
