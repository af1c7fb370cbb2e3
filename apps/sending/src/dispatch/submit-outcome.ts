import { SENT_STATUS } from '@sabia/status-codes';

// SMPP 3.4 command_status values that matter for routing a result.
export const ESME = {
  ROK: 0x00,
  RMSGQFUL: 0x14,
  RINVDSTADR: 0x0b,
  RTHROTTLED: 0x58,
} as const;

export type SubmitOutcome =
  | { kind: 'final'; sentStatus: number }
  /** The carrier asked us to slow down or its queue is full: submit again later. */
  | { kind: 'retry'; reason: string };

/** Turns a submit_sm_resp status into the seed's first level (DESIGN §3, issue 4 §2). */
export function submitOutcome(commandStatus: number): SubmitOutcome {
  switch (commandStatus) {
    case ESME.ROK:
      return { kind: 'final', sentStatus: SENT_STATUS.SENT_SUCCESS };
    case ESME.RINVDSTADR:
      return { kind: 'final', sentStatus: SENT_STATUS.INVALID_DESTINATION_NUMBER };
    case ESME.RTHROTTLED:
      return { kind: 'retry', reason: 'ESME_RTHROTTLED' };
    case ESME.RMSGQFUL:
      return { kind: 'retry', reason: 'ESME_RMSGQFUL' };
    default:
      return { kind: 'final', sentStatus: SENT_STATUS.REJECTED_BY_CARRIER };
  }
}
