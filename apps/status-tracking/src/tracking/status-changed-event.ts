import { statusEvents } from '@sabia/contracts';
import type { messageStatus } from '../db';

type Row = typeof messageStatus.$inferSelect;

export function statusChangedEvent(row: Row, change: { sentStatus?: number; deliveredStatus?: number; at: Date }): Uint8Array {
  return statusEvents.StatusChanged.encode({
    messageId: row.messageId,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    sentStatus: change.sentStatus ?? 0,
    deliveredStatus: change.deliveredStatus ?? 0,
    at: change.at,
    parts: row.parts,
  }).finish();
}
