import { sendingEvents } from '@sabia/contracts';
import type { MessageRow } from '../messages/message';

export interface ReceiptFacts {
  stat: string;
  err: string;
  doneAt: string;
}

export function receiptEvent(row: MessageRow, receipt: ReceiptFacts, receivedAt: Date): Uint8Array {
  return sendingEvents.ReceiptReceived.encode({
    messageId: row.id,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    carrierMessageId: row.carrierMessageId ?? '',
    stat: receipt.stat,
    err: receipt.err,
    doneAt: new Date(receipt.doneAt),
    receivedAt,
  }).finish();
}
