import { encodeMessage, sendingEvents } from '@sabia/contracts';
import type { MessageRow } from '../messages/message';

export interface ReceiptFacts {
  stat: string;
  err: string;
  doneAt: string;
}

/** A receipt for one part of a message. */
export function receiptEvent(
  row: MessageRow,
  part: { part: number; carrierMessageId: string },
  receipt: ReceiptFacts,
  receivedAt: Date,
): Uint8Array {
  return encodeMessage(sendingEvents.ReceiptReceived, {
    messageId: row.id,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    carrierMessageId: part.carrierMessageId,
    part: part.part,
    parts: row.parts,
    callbackUrl: row.callbackUrl,
    correlationId: row.correlationId,
    to: row.to,
    stat: receipt.stat,
    err: receipt.err,
    doneAt: new Date(receipt.doneAt),
    receivedAt,
  });
}
