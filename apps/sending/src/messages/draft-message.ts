import type { UserPrincipal } from '@sabia/auth';
import { countParts, toGsm7 } from '@sabia/sms-encoding';
import { uuidv7 } from '@sabia/db';
import type { CustomerSettings } from '../customers/settings';
import type { Router } from '../routing/router';
import { firstRefusal, type Refusal } from './acceptance';
import { mobileCountry } from './destination';
import type { MessageRow } from './message';

export type NewMessageRow = Omit<
  MessageRow,
  'state' | 'sentStatus' | 'refusalReason' | 'refusalDeliveredStatus' | 'carrierMessageId' | 'createdAt' | 'submittedAt' | 'concatReference'
>;

export interface MessageDraft {
  row: NewMessageRow;
  /** ISO country of a valid mobile destination (for the price). */
  country: string;
  /** Set when an acceptance rule refuses the message. */
  refusal?: Refusal;
}

/** Part counts of texts already seen in this call (a batch usually shares one text), keyed by text and concatenation. */
export type PartsCache = Map<string, ReturnType<typeof countParts>>;

/**
 * Turns one validated recipient into the row to store: routes it to a carrier, applies the
 * customer's settings and the carrier's abilities (transliteration when either refuses
 * accents; "(i/n)" parts, hence a different part count, when the carrier cannot concatenate)
 * and the acceptance rules up to 214. Pure: blocked, opt-out and portability facts were
 * looked up by the caller.
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
  facts: { blocked: boolean; optedOut: boolean; portedTo?: string };
  router: Router;
  batch?: { id: string; index: number };
  partsCache?: PartsCache;
  expiresAt: Date | null;
}): MessageDraft {
  const country = mobileCountry(args.to);
  const route = country ? args.router.route(args.to, args.facts.portedTo) : undefined;
  const accents = args.settings.accentsEnabled && route?.acceptsAccents !== false;
  const concatenate = route?.concatenates !== false;
  const text = accents ? args.text : toGsm7(args.text);
  const cacheKey = concatenate ? text : `\u0000${text}`;
  let counted = args.partsCache?.get(cacheKey);
  if (!counted) {
    counted = countParts(text, { concatenate });
    args.partsCache?.set(cacheKey, counted);
  }
  const row: NewMessageRow = {
    id: uuidv7(),
    accountId: args.principal.accountId,
    subaccountId: args.principal.subaccountId,
    userId: args.principal.userId,
    to: args.to,
    text,
    encoding: counted.encoding,
    parts: counted.parts,
    carrier: route?.id ?? null,
    correlationId: args.correlationId,
    callbackUrl: args.callbackUrl || args.settings.defaultCallbackUrl,
    idempotencyKey: args.idempotencyKey,
    requestHash: args.requestHash,
    traceId: args.traceId,
    batchId: args.batch?.id ?? null,
    batchIndex: args.batch?.index ?? null,
    expiresAt: args.expiresAt,
  };
  const refusal = firstRefusal({ country, text, settings: args.settings, route, ...args.facts });
  return { row, country: country ?? '', refusal };
}
