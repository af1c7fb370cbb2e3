import type { messages } from '../db';

export type MessageRow = typeof messages.$inferSelect;

/** What callers see of a message (no text: it is the customer's content, not ours to echo). */
export interface Message {
  id: string;
  accountId: string;
  subaccountId: string;
  to: string;
  parts: number;
  sentStatus: number | null;
  /** Set when an acceptance rule refused the message. */
  refusalReason: string | null;
  createdAt: Date;
  traceId: string;
  correlationId: string;
}

export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  accountId: row.accountId,
  subaccountId: row.subaccountId,
  to: row.to,
  parts: row.parts,
  sentStatus: row.sentStatus,
  refusalReason: row.refusalReason,
  createdAt: row.createdAt,
  traceId: row.traceId,
  correlationId: row.correlationId,
});
