import { encodeMessage, statusEvents, type common } from '@sabia/contracts';
import type { messageStatus } from '../db';

type Row = typeof messageStatus.$inferSelect;

export function statusChangedEvent(
  row: Row,
  change: { sentStatus?: number; deliveredStatus?: number; at: Date; partStatuses?: common.PartStatus[] },
): Uint8Array {
  return encodeMessage(statusEvents.StatusChanged, {
    messageId: row.messageId,
    accountId: row.accountId,
    subaccountId: row.subaccountId,
    sentStatus: change.sentStatus ?? 0,
    deliveredStatus: change.deliveredStatus ?? 0,
    at: change.at,
    parts: row.parts,
    partStatuses: change.partStatuses ?? [],
  });
}
