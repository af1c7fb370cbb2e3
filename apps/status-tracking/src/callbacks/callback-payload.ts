import { deliveredStatusName, sentStatusName } from '@sabia/status-codes';
import type { messageStatus } from '../db';

type Row = typeof messageStatus.$inferSelect;
export type CallbackType = 'message.sent' | 'message.delivered';

/**
 * The JSON body of a status callback, in the Standard Webhooks shape ({type, timestamp, data}).
 * Codes travel with their seed names so a receiver's logs read on their own.
 */
export function statusCallbackPayload(type: CallbackType, row: Row, at: Date): string {
  const data: Record<string, unknown> = {
    message_id: row.messageId,
    subaccount_id: row.subaccountId,
    to: row.to,
    correlation_id: row.correlationId,
    parts: row.parts,
    carrier: row.carrier,
    sent_status: row.sentStatus,
    sent_status_name: row.sentStatus === null ? null : sentStatusName(row.sentStatus),
    sent_at: row.sentAt?.toISOString() ?? null,
  };
  if (type === 'message.delivered') {
    Object.assign(data, {
      delivered_status: row.deliveredStatus,
      delivered_status_name: row.deliveredStatus === null ? null : deliveredStatusName(row.deliveredStatus),
      delivered_at: row.deliveredAt?.toISOString() ?? null,
    });
  }
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
