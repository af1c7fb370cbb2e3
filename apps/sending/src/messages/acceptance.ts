import { SENT_STATUS } from '@sabia/status-codes';
import type { CustomerSettings } from '../customers/settings';
import type { Carrier } from '../routing/carrier-config';
import { findForbiddenWord } from './forbidden-words';

/** What the acceptance rules look at, gathered before they run (so the rules stay pure). */
export interface AcceptanceFacts {
  /** ISO country of a valid mobile destination; undefined when it is not one. */
  country: string | undefined;
  blocked: boolean;
  optedOut: boolean;
  /** The text as it would be sent (after transliteration when accents are off). */
  text: string;
  settings: CustomerSettings;
  /** The carrier the number routes to; undefined when no carrier serves it. */
  route: Carrier | undefined;
}

export interface Refusal {
  code: number;
  reason: string;
  /** A second level the refusal sets at once (201: no credit, which the seed files as second level). */
  deliveredStatus?: number;
}

type Rule = (f: AcceptanceFacts) => Refusal | undefined;

/**
 * The seed's checks in the order of DESIGN §2: the first failing one decides the code, so a
 * blocked number in a forbidden country reports 203, not 213. Quota and credit (215/201) come
 * last and are billing's answer.
 */
const RULES: Rule[] = [
  (f) => (f.country ? undefined : { code: SENT_STATUS.INVALID_DESTINATION_NUMBER, reason: 'the destination is not a valid mobile number' }),
  (f) => (f.blocked ? { code: SENT_STATUS.BLACKLISTED, reason: 'the destination is on your blocked list' } : undefined),
  (f) => (f.optedOut ? { code: SENT_STATUS.DESTINATION_BLOCKED_BY_OPTOUT, reason: 'the destination opted out of this subaccount' } : undefined),
  (f) => {
    const word = findForbiddenWord(f.text, f.settings.forbiddenWords);
    return word ? { code: SENT_STATUS.INVALID_MESSAGE_TEXT, reason: `the text contains the refused word "${word}"` } : undefined;
  },
  (f) =>
    f.settings.allowedCountries.includes(f.country!)
      ? undefined
      : { code: SENT_STATUS.COUNTRY_NOT_ALLOWED_FOR_CUSTOMER, reason: `sending to ${f.country} is not enabled for your account` },
  (f) => (f.route ? undefined : { code: SENT_STATUS.INVALID_CUSTOMER_CONFIGURATION, reason: 'no carrier route serves this number' }),
  (f) =>
    [...f.text].length > f.settings.maxChars
      ? { code: SENT_STATUS.INVALID_CUSTOMER_CONFIGURATION, reason: `the text has ${[...f.text].length} characters; your limit is ${f.settings.maxChars}` }
      : undefined,
];

export function firstRefusal(facts: AcceptanceFacts): Refusal | undefined {
  for (const rule of RULES) {
    const refusal = rule(facts);
    if (refusal) return refusal;
  }
  return undefined;
}
