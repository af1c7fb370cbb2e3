import type { UserPrincipal } from '@sabia/auth';
import { countParts, toGsm7 } from '@sabia/sms-encoding';
import { v7 as uuidv7 } from 'uuid';
import type { CustomerSettings } from '../customers/settings';
import { firstRefusal, type Refusal } from './acceptance';
import { mobileCountry } from './destination';
import type { MessageRow } from './message';

export type NewMessageRow = Omit<
  MessageRow,
  'state' | 'sentStatus' | 'refusalReason' | 'carrier' | 'carrierMessageId' | 'createdAt' | 'submittedAt'
>;

export interface MessageDraft {
  row: NewMessageRow;
  /** ISO country of a valid mobile destination (for the price). */
  country: string;
  /** Set when an acceptance rule refuses the message. */
  refusal?: Refusal;
}

/** Part counts of texts already seen in this call: a batch usually shares one text. */
export type PartsCache = Map<string, ReturnType<typeof countParts>>;

/**
 * Turns one validated recipient into the row to store, applying the customer's settings
 * (transliteration when accents are off) and the acceptance rules up to 214. Pure: the
 * blocked and opt-out facts were looked up by the caller.
 */
export function draftMessage(args: {
  principal: UserPrincipal;
  settings: CustomerSettings;
  to: string;
  text: string;
  correlationId: string;
  callbackUrl: string;
  idempotencyKey: string;
  requestHash: string;
  traceId: string;
  facts: { blocked: boolean; optedOut: boolean };
  batch?: { id: string; index: number };
  partsCache?: PartsCache;
  expiresAt: Date | null;
}): MessageDraft {
  const text = args.settings.accentsEnabled ? args.text : toGsm7(args.text);
  let counted = args.partsCache?.get(text);
  if (!counted) {
    counted = countParts(text);
    args.partsCache?.set(text, counted);
  }
  const country = mobileCountry(args.to);
  const row: NewMessageRow = {
    id: uuidv7(),
    accountId: args.principal.accountId,
    subaccountId: args.principal.subaccountId,
    userId: args.principal.userId,
    to: args.to,
    text,
    encoding: counted.encoding,
    parts: counted.parts,
    correlationId: args.correlationId,
    callbackUrl: args.callbackUrl || args.settings.defaultCallbackUrl,
    idempotencyKey: args.idempotencyKey,
    requestHash: args.requestHash,
    traceId: args.traceId,
    batchId: args.batch?.id ?? null,
    batchIndex: args.batch?.index ?? null,
    expiresAt: args.expiresAt,
  };
  const refusal = firstRefusal({ country, text, settings: args.settings, ...args.facts });
  return { row, country: country ?? '', refusal };
}
