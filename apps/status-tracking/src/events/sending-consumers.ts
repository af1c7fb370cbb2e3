import { PoisonMessageError, startConsumer, SUBJECTS, type Bus, type IncomingEvent } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { recordReceipt } from '../tracking/record-receipt';
import { recordSent } from '../tracking/record-sent';

function decode<T>(codec: { decode(data: Uint8Array): T }, event: IncomingEvent, name: string): T {
  try {
    return codec.decode(event.data);
  } catch (err) {
    throw new PoisonMessageError(`undecodable ${name}: ${(err as Error).message}`);
  }
}

/** The two facts sending publishes about a message, each on its own durable consumer. */
export async function startSendingConsumers(db: Db, bus: Bus, logger: Logger) {
  const sent = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-message-sent', subject: SUBJECTS.messageSent },
    handle: (event) => recordSent(db, event.id, decode(sendingEvents.MessageSent, event, 'MessageSent')),
  });
  const receipts = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable: 'status-receipt-received', subject: SUBJECTS.receiptReceived },
    handle: (event) => recordReceipt(db, event.id, decode(sendingEvents.ReceiptReceived, event, 'ReceiptReceived')),
  });
  return { stop: () => Promise.all([sent.stop(), receipts.stop()]).then(() => undefined) };
}
