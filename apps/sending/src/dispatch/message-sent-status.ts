import { SENT_STATUS } from '@sabia/status-codes';

/**
 * The rule that turns part answers into the message's first level: SENT_SUCCESS only when
 * every part got it; otherwise the answer of the first part that did not. Parts never
 * submitted (the dispatch stopped at a refused part, expired or gave up) count with the code
 * they were given.
 */
export function messageSentStatus(parts: Array<{ sentStatus: number }>): number {
  return parts.find((p) => p.sentStatus !== SENT_STATUS.SENT_SUCCESS)?.sentStatus ?? SENT_STATUS.SENT_SUCCESS;
}

export const stateOf = (sentStatus: number) =>
  sentStatus === SENT_STATUS.SENT_SUCCESS ? 'submitted' : sentStatus === SENT_STATUS.EXPIRED ? 'expired' : 'failed';
