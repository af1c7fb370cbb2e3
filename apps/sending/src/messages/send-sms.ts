import type { UserPrincipal } from '@sabia/auth';
import type { Db, DbOrTx } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import { AlreadyExistsError } from '@sabia/errors';
import { DELIVERED_STATUS, SENT_STATUS } from '@sabia/status-codes';
import { activeTraceId } from '@sabia/telemetry';
import { and, eq, isNull } from 'drizzle-orm';
import { hash } from 'node:crypto';
import { getSettings } from '../customers/get-settings';
import type { CustomerSettings } from '../customers/settings';
import type { Router } from '../routing/router';
import { toE164 } from '../customers/phone-number';
import { messages } from '../db';
import { checkCallbackUrl } from './callback-url';
import { destinationFacts, type DestinationFacts } from './destination-facts';
import { draftMessage } from './draft-message';
import { toMessage, type Message, type MessageRow } from './message';
import type { ChecksPort } from './read-checks';
import type { StorePort } from './store-messages';
import { expiryOf, validateSendInput, type SendSmsInput } from './validate-send';

/** Billing's reservation, as sending needs it (a port: the gRPC client in production). */
export type ReservePort = (input: {
  accountId: string;
  subaccountId: string;
  messageId: string;
  parts: number;
  country: string;
  /** The carrier it routes to: prices may differ per carrier. */
  carrier: string;
}) => Promise<'reserved' | 'quota_blocked' | 'no_credit'>;

/**
 * The refusal billing's answer turns into. Quota: 215 CUSTOMER_QUOTA_BLOCKED. No credit: the
 * seed's 201 NOT_DELIVERED (no credit) is a second-level code, so the message gets first level
 * 215 (refused before submission, as the quota) and second level 201 at once, and reports and
 * callbacks show 201 where the seed puts it.
 */
export function quotaRefusal(answer: 'quota_blocked' | 'no_credit') {
  if (answer === 'no_credit') return { code: SENT_STATUS.CUSTOMER_QUOTA_BLOCKED, reason: 'not enough credit (201)', deliveredStatus: DELIVERED_STATUS.NOT_DELIVERED_NO_CREDIT };
  return { code: SENT_STATUS.CUSTOMER_QUOTA_BLOCKED, reason: 'your quota is blocked or used up' };
}

/** Voids reservations that will not be used (a duplicate lost the race, or storing failed). */
export type ReleasePort = (messageIds: string[]) => Promise<unknown>;

/**
 * A message id billing reserved ahead for a message like this one (see billing/reservation-pool.ts),
 * or undefined: then the send asks billing itself. The message is stored under the id it gets.
 */
export type TakeReservedPort = (key: ReserveKey, parts: number) => string | undefined;

/** What a reservation's price and limits depend on: who pays, and where the part goes. */
export type ReserveKey = Omit<Parameters<ReservePort>[0], 'messageId' | 'parts'>;

/**
 * Accepts or refuses one SMS. Malformed input is INVALID_ARGUMENT and writes nothing.
 * Acceptance rules that fail store the message with the seed's code and reason (reported like
 * any other, never submitted or billed); an accepted message and its MessageAccepted event
 * commit together, after billing reserved its parts. The same idempotency key with the same
 * request returns the original message, refused or not.
 *
 * Two statements and billing's reservation in between, so no database connection waits on
 * billing: one reads every check (the checks port), one stores the message with its event (the
 * store, which commits a millisecond's calls together). The unique index on the idempotency
 * key decides between concurrent duplicates: exactly one stores; the others release what they
 * reserved and return the stored message.
 */
export async function sendSms(
  deps: { db: Db; checks: ChecksPort; store: StorePort; reserve: ReservePort; release: ReleasePort; takeReserved?: TakeReservedPort; router: Router; urlPolicy?: AddressPolicy },
  principal: UserPrincipal,
  raw: SendSmsInput,
): Promise<Message> {
  const input = validateSendInput(raw);
  const requestHash = hashRequest([input.to, input.text, input.correlationId, input.callbackUrl, input.validitySeconds]);
  // One statement reads every check (see read-checks.ts). A number given without its country
  // code reads differently depending on the settings, so both readings are checked in it.
  const international = /^\s*(\+|00)/.test(input.to);
  const checked = international ? await fastChecks(deps, principal, input) : await nationalChecks(deps, principal, input);
  if (checked.replay) return answerReplay(checked.replay, requestHash);
  const draft = draftMessage({
    principal,
    settings: checked.settings!,
    to: checked.to!,
    text: input.text,
    correlationId: input.correlationId,
    callbackUrl: checkCallbackUrl(input.callbackUrl, deps.urlPolicy),
    idempotencyKey: input.idempotencyKey,
    requestHash,
    traceId: activeTraceId(),
    facts: checked.facts!,
    router: deps.router,
    expiresAt: expiryOf(input.validitySeconds),
  });
  let reserved = false;
  if (!draft.refusal) {
    const { row } = draft;
    const key = { accountId: row.accountId, subaccountId: row.subaccountId, country: draft.country, carrier: row.carrier ?? '' };
    const pooled = deps.takeReserved?.(key, row.parts);
    if (pooled) {
      row.id = pooled;
      reserved = true;
    } else {
      const answer = await deps.reserve({ ...key, messageId: row.id, parts: row.parts });
      if (answer === 'reserved') reserved = true;
      else draft.refusal = quotaRefusal(answer);
    }
  }
  const releaseOurs = () => (reserved ? deps.release([draft.row.id]).catch(() => undefined) : undefined);

  let stored: MessageRow | undefined;
  try {
    // One statement: of concurrent requests with one key, the unique index lets one store.
    stored = await deps.store(draft);
  } catch (err) {
    await releaseOurs();
    throw err;
  }
  if (!stored) {
    const existing = (await findByKey(deps.db, principal.accountId, input.idempotencyKey))!;
    // Our own row (a grouped insert that committed, then failed to answer, and was retried
    // alone) keeps its reservation; another request's row means ours was never needed.
    if (existing.id !== draft.row.id) await releaseOurs();
    return answerReplay(existing, requestHash);
  }
  return toMessage(stored);
}

type Checked = { replay?: MessageRow; settings?: CustomerSettings; to?: string; facts?: DestinationFacts };

async function fastChecks(deps: { db: Db; checks: ChecksPort }, principal: UserPrincipal, input: { to: string; idempotencyKey: string }): Promise<Checked> {
  const to = toE164(input.to);
  const checks = await deps.checks({ principal, idempotencyKey: input.idempotencyKey, to });
  if (checks.replay) return { replay: await findByKey(deps.db, principal.accountId, input.idempotencyKey) };
  return { settings: checks.settings, to, facts: checks.facts };
}

/**
 * A number without a country code: read as international digits when the customer does not
 * allow national numbers, or in their default country when they do. Both readings (Brazil, the
 * default default) are checked together, in the same grouped statement, and the settings that
 * come back pick one; a customer whose default country is another takes the longer read.
 */
async function nationalChecks(deps: { db: Db; checks: ChecksPort }, principal: UserPrincipal, input: { to: string; idempotencyKey: string }): Promise<Checked> {
  const asDigits = toE164(input.to);
  const asBrazilian = toE164(input.to, { defaultCountry: 'BR' });
  const [digits, brazilian] = await Promise.all([
    deps.checks({ principal, idempotencyKey: input.idempotencyKey, to: asDigits }),
    deps.checks({ principal, idempotencyKey: input.idempotencyKey, to: asBrazilian }),
  ]);
  if (digits.replay) return { replay: await findByKey(deps.db, principal.accountId, input.idempotencyKey) };
  const { settings } = digits;
  if (!settings.allowNationalNumbers) return { settings, to: asDigits, facts: digits.facts };
  if (settings.defaultCountry === 'BR') return { settings, to: asBrazilian, facts: brazilian.facts };
  return slowChecks(deps.db, principal, input);
}

async function slowChecks(db: Db, principal: UserPrincipal, input: { to: string; idempotencyKey: string }): Promise<Checked> {
  return db.transaction(
    async (tx) => {
      const replay = await findByKey(tx, principal.accountId, input.idempotencyKey);
      if (replay) return { replay };
      const { settings } = await getSettings(tx, principal.accountId, principal.subaccountId);
      const to = toE164(input.to, settings.allowNationalNumbers ? settings : undefined);
      return { settings, to, facts: await destinationFacts(tx, principal.accountId, principal.subaccountId, to) };
    },
    { accessMode: 'read only' },
  );
}

async function findByKey(db: DbOrTx, accountId: string, key: string): Promise<MessageRow | undefined> {
  // batch_id is null: the key's index holds single sends only (db/messages.ts).
  const [row] = await db.select().from(messages).where(and(eq(messages.accountId, accountId), eq(messages.idempotencyKey, key), isNull(messages.batchId)));
  return row;
}

function answerReplay(existing: MessageRow, requestHash: string): Message {
  if (existing.requestHash !== requestHash) {
    throw new AlreadyExistsError('idempotency_key was already used for a different request', { messageId: existing.id });
  }
  return toMessage(existing);
}

// One-shot: createHash made a native Hash object per call, freed only by a weak callback
// in the garbage collector (0.85 against 0.25 µs, and one weak handle less per SendSms).
export function hashRequest(parts: unknown[]): string {
  return hash('sha256', JSON.stringify(parts), 'base64url');
}
