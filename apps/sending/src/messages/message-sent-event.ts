import { encodeMessage, sendingEvents, type common } from '@sabia/contracts';
import type { MessageRow } from './message';

/** Encodes the first-level fact about a message (refusal, or the carrier's answers per part). */
export function messageSentEvent(row: MessageRow, partStatuses: common.PartStatus[] = []): Uint8Array {
  return encodeMessage(sendingEvents.MessageSent, {
    messageId: row.id,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    sentStatus: row.sentStatus ?? 0,
    at: row.submittedAt ?? row.createdAt,
    carrierMessageId: row.carrierMessageId ?? '',
    parts: row.parts,
    carrier: row.carrier ?? '',
    correlationId: row.correlationId,
    partStatuses,
    callbackUrl: row.callbackUrl,
    deliveredStatus: row.refusalDeliveredStatus ?? 0,
    to: row.to,
  });
}
