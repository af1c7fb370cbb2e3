import type { callbacks } from '../db';

/** A callback as the worker delivers it. */
export type CallbackRow = typeof callbacks.$inferSelect;

/**
 * The columns toCallbackRow reads, for a statement that names what it returns (a prepared one
 * must: see attempt-recorder.ts).
 */
export const CALLBACK_ROW_COLUMNS = [
  'id', 'account_id', 'subaccount_id', 'message_id', 'type', 'url', 'payload', 'state', 'attempts', 'next_attempt_at',
  'created_at', 'finished_at', 'last_attempt_at', 'last_http_status', 'last_error', 'last_duration_ms',
] as const;

/** A raw callbacks row (from RETURNING) as drizzle would give it. */
export function toCallbackRow(r: Record<string, unknown>): CallbackRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    subaccountId: String(r.subaccount_id),
    messageId: String(r.message_id),
    type: String(r.type),
    url: String(r.url),
    payload: String(r.payload),
    state: String(r.state),
    attempts: Number(r.attempts),
    nextAttemptAt: date(r.next_attempt_at)!,
    createdAt: date(r.created_at)!,
    finishedAt: date(r.finished_at),
    lastAttemptAt: date(r.last_attempt_at),
    lastHttpStatus: r.last_http_status === null || r.last_http_status === undefined ? null : Number(r.last_http_status),
    lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
    lastDurationMs: r.last_duration_ms === null || r.last_duration_ms === undefined ? null : Number(r.last_duration_ms),
  };
}

/**
 * A callback just written `pending` and leased to this process, as toCallbackRow would give it
 * once read back. A literal of the same shape, built from what the insert had in hand (spreading
 * the insert's rows into it cost 20 µs a callback in a CPU profile).
 */
export function leasedCallbackRow(
  fields: Pick<CallbackRow, 'id' | 'accountId' | 'subaccountId' | 'messageId' | 'type' | 'url' | 'payload'>,
  nextAttemptAt: Date,
  createdAt: Date,
): CallbackRow {
  return {
    id: fields.id,
    accountId: fields.accountId,
    subaccountId: fields.subaccountId,
    messageId: fields.messageId,
    type: fields.type,
    url: fields.url,
    payload: fields.payload,
    state: 'pending',
    attempts: 0,
    nextAttemptAt,
    createdAt,
    finishedAt: null,
    lastAttemptAt: null,
    lastHttpStatus: null,
    lastError: null,
    lastDurationMs: null,
  };
}
