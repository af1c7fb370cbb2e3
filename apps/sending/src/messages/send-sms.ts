import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { AlreadyExistsError } from '@sabia/errors';
import { SENT_STATUS } from '@sabia/status-codes';
import { activeTraceId } from '@sabia/telemetry';
import { and, eq, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { getSettings } from '../customers/get-settings';
import { toE164 } from '../customers/phone-number';
import { messages } from '../db';
import { checkCallbackUrl } from './callback-url';
import { destinationFacts } from './destination-facts';
import { draftMessage } from './draft-message';
import { toMessage, type Message } from './message';
import { storeMessages } from './store-messages';
import { expiryOf, validateSendInput, type SendSmsInput } from './validate-send';

/** Billing's reservation, as sending needs it (a port: the gRPC client in production). */
export type ReservePort = (input: {
  accountId: string;
  subaccountId: string;
  messageId: string;
  parts: number;
  country: string;
}) => Promise<'reserved' | 'quota_blocked' | 'no_credit'>;

/** The refusal billing's answer turns into (201 is second-level in the seed; see issue 5). */
export function quotaRefusal(answer: 'quota_blocked' | 'no_credit') {
  const reason = answer === 'no_credit' ? 'not enough credit (201)' : 'your quota is blocked or used up';
  return { code: SENT_STATUS.CUSTOMER_QUOTA_BLOCKED, reason };
}

/**
 * Accepts or refuses one SMS. Malformed input is INVALID_ARGUMENT and writes nothing.
 * Acceptance rules that fail store the message with the seed's code and reason (reported like
 * any other, never submitted or billed); an accepted message and its MessageAccepted event
 * commit together, after billing reserved its parts. The same idempotency key with the same
 * request returns the original message, refused or not.
 */
export async function sendSms(deps: { db: Db; reserve: ReservePort }, principal: UserPrincipal, raw: SendSmsInput): Promise<Message> {
  const input = validateSendInput(raw);
  const requestHash = hashRequest([input.to, input.text, input.correlationId, input.callbackUrl, input.validitySeconds]);

  return deps.db.transaction(async (tx) => {
    // Serialises concurrent requests with one key, so exactly one message is created.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${principal.accountId}), hashtext(${input.idempotencyKey}))`);
    const [existing] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.accountId, principal.accountId), eq(messages.idempotencyKey, input.idempotencyKey)));
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new AlreadyExistsError('idempotency_key was already used for a different request', { messageId: existing.id });
      }
      return toMessage(existing);
    }

    const { settings } = await getSettings(tx, principal.accountId, principal.subaccountId);
    const to = toE164(input.to, settings.allowNationalNumbers ? settings : undefined);
    const draft = draftMessage({
      principal,
      settings,
      to,
      text: input.text,
      correlationId: input.correlationId,
      callbackUrl: checkCallbackUrl(input.callbackUrl),
      idempotencyKey: input.idempotencyKey,
      requestHash,
      traceId: activeTraceId(),
      facts: await destinationFacts(tx, principal.accountId, principal.subaccountId, to),
      expiresAt: expiryOf(input.validitySeconds),
    });
    if (!draft.refusal) {
      const { row } = draft;
      const answer = await deps.reserve({ accountId: row.accountId, subaccountId: row.subaccountId, messageId: row.id, parts: row.parts, country: draft.country });
      if (answer !== 'reserved') draft.refusal = quotaRefusal(answer);
    }
    const [stored] = await storeMessages(tx, [draft]);
    return toMessage(stored!);
  });
}

export function hashRequest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
