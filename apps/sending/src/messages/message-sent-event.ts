import { sendingEvents } from '@sabia/contracts';
import type { MessageRow } from './message';

/** Encodes the first-level fact about a message (refusal or carrier answer). */
export function messageSentEvent(row: MessageRow): Uint8Array {
  return sendingEvents.MessageSent.encode({
    messageId: row.id,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    sentStatus: row.sentStatus ?? 0,
    at: row.submittedAt ?? row.createdAt,
    carrierMessageId: row.carrierMessageId ?? '',
    parts: row.parts,
    carrier: row.carrier ?? '',
    correlationId: row.correlationId,
  }).finish();
}
