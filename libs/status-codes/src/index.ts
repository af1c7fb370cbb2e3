// The seed's status codes (004_f70820173f41ac18.txt) as pure domain values. The numbers are
// the public codes customers see; names match the seed.

export const SENT_STATUS = {
  SENT_SUCCESS: 2,
  EXPIRED: 101,
  CARRIER_COMMUNICATION_ERROR: 102,
  REJECTED_BY_CARRIER: 103,
  INVALID_DESTINATION_NUMBER: 202,
  BLACKLISTED: 203,
  DESTINATION_BLOCKED_BY_OPTOUT: 204,
  INVALID_MESSAGE_TEXT: 207,
  COUNTRY_NOT_ALLOWED_FOR_CUSTOMER: 213,
  INVALID_CUSTOMER_CONFIGURATION: 214,
  CUSTOMER_QUOTA_BLOCKED: 215,
  INTERNAL_ERROR: 301,
} as const;

export const DELIVERED_STATUS = {
  DELIVERED_SUCCESS: 4,
  NOT_DELIVERED: 104,
  NOT_DELIVERED_NO_CREDIT: 201,
  MESSAGE_SPLIT: 401,
} as const;

export type SentStatusCode = (typeof SENT_STATUS)[keyof typeof SENT_STATUS];
export type DeliveredStatusCode = (typeof DELIVERED_STATUS)[keyof typeof DELIVERED_STATUS];

const sentNames = new Map<number, string>(Object.entries(SENT_STATUS).map(([k, v]) => [v, k]));
const deliveredNames = new Map<number, string>(
  Object.entries(DELIVERED_STATUS).map(([k, v]) => [v, k]),
);

export const sentStatusName = (code: number): string => sentNames.get(code) ?? `UNKNOWN_${code}`;
export const deliveredStatusName = (code: number): string =>
  deliveredNames.get(code) ?? `UNKNOWN_${code}`;

/** SENT_SUCCESS is the only billable first-level status (seed: "deve ser considerado para efeito de cobrança"). */
export const isBillable = (sent: number): boolean => sent === SENT_STATUS.SENT_SUCCESS;

/**
 * Maps an SMPP delivery receipt's `stat` field to the second level. DELIVRD is delivered;
 * every other final state (UNDELIV, EXPIRED, DELETED, REJECTD, UNKNOWN) is 104.
 * Returns undefined for intermediate states (ENROUTE, ACCEPTD) that are not final.
 */
export function deliveredStatusFromReceipt(stat: string): DeliveredStatusCode | undefined {
  switch (stat.toUpperCase()) {
    case 'DELIVRD':
      return DELIVERED_STATUS.DELIVERED_SUCCESS;
    case 'UNDELIV':
    case 'EXPIRED':
    case 'DELETED':
    case 'REJECTD':
    case 'UNKNOWN':
      return DELIVERED_STATUS.NOT_DELIVERED;
    default:
      return undefined;
  }
}

/**
 * The second level of a message from the receipts of its parts (issue 4 §4):
 * - any part not delivered → 104 (the handset holds an incomplete text), as soon as it is known;
 * - every part delivered → 4;
 * - a split message still waiting for some part's receipt → 401 MESSAGE_SPLIT (the seed's code
 *   for a text sent in several parts; with a carrier that sends no receipts it stays there);
 * - a single-part message without its receipt → undefined (no second level yet).
 * `partStatuses` holds the final second level of each part that has one, in part order.
 */
export function deliveredStatusOfParts(parts: number, partStatuses: readonly DeliveredStatusCode[]): DeliveredStatusCode | undefined {
  const failed = partStatuses.find((s) => s !== DELIVERED_STATUS.DELIVERED_SUCCESS);
  if (failed !== undefined) return failed;
  if (partStatuses.length >= parts && parts > 0) return DELIVERED_STATUS.DELIVERED_SUCCESS;
  return parts > 1 ? DELIVERED_STATUS.MESSAGE_SPLIT : undefined;
}
