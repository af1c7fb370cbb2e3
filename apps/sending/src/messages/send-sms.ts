import type { UserPrincipal } from '@sabia/auth';
import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db, Tx } from '@sabia/db';
import { AlreadyExistsError } from '@sabia/errors';
import { countParts, toGsm7 } from '@sabia/sms-encoding';
import { SENT_STATUS } from '@sabia/status-codes';
import { activeTraceId } from '@sabia/telemetry';
import { and, eq, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { getSettings } from '../customers/get-settings';
import { toE164 } from '../customers/phone-number';
import { messages, outbox } from '../db';
import { firstRefusal, type Refusal } from './acceptance';
import { checkCallbackUrl } from './callback-url';
import { mobileCountry } from './destination';
import { destinationFacts } from './destination-facts';
import { toMessage, type Message, type MessageRow } from './message';
import { messageSentEvent } from './message-sent-event';
import { validateSendInput, type SendSmsInput } from './validate-send';

/** Billing's reservation, as sending needs it (a port: the gRPC client in production). */
export type ReservePort = (input: {
  accountId: string;
  subaccountId: string;
  messageId: string;
  parts: number;
  country: string;
}) => Promise<'reserved' | 'quota_blocked' | 'no_credit'>;

type NewRow = Omit<MessageRow, 'state' | 'sentStatus' | 'refusalReason' | 'carrier' | 'carrierMessageId' | 'createdAt' | 'submittedAt'>;

/**
 * Accepts or refuses one SMS. Malformed input is INVALID_ARGUMENT and writes nothing.
 * Acceptance rules that fail store the message with the seed's code and reason (reported like
 * any other, never submitted or billed); an accepted message and its MessageAccepted event
 * commit together, after billing reserved its parts. The same idempotency key with the same
 * request returns the original message, refused or not.
 */
export async function sendSms(deps: { db: Db; reserve: ReservePort }, principal: UserPrincipal, raw: SendSmsInput): Promise<Message> {
  const input = validateSendInput(raw);
  const requestHash = hashRequest(input);

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
    const callbackUrl = checkCallbackUrl(input.callbackUrl) || settings.defaultCallbackUrl;
    // Accents off: the customer chose GSM-7, so the text is transliterated, not refused.
    const text = settings.accentsEnabled ? input.text : toGsm7(input.text);
    const { encoding, parts } = countParts(text);
    const id = uuidv7();
    const row: NewRow = {
      id,
      accountId: principal.accountId,
      subaccountId: principal.subaccountId,
      userId: principal.userId,
      to,
      text,
      encoding,
      parts,
      correlationId: input.correlationId,
      callbackUrl,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      traceId: activeTraceId(),
    };

    const country = mobileCountry(to);
    const refusal = firstRefusal({ country, text, settings, ...(await destinationFacts(tx, principal.accountId, principal.subaccountId, to)) });
    if (refusal) return refuse(tx, row, refusal);

    const reservation = await deps.reserve({ accountId: principal.accountId, subaccountId: principal.subaccountId, messageId: id, parts, country: country! });
    // 201 (no credit) is a second-level code in the seed; until billing's issue decides how it
    // surfaces, both refusals carry the first-level quota code and say which one it was.
    if (reservation !== 'reserved') {
      const reason = reservation === 'no_credit' ? 'not enough credit (201)' : 'your quota is blocked or used up';
      return refuse(tx, row, { code: SENT_STATUS.CUSTOMER_QUOTA_BLOCKED, reason });
    }

    const [stored] = await tx.insert(messages).values({ ...row, state: 'accepted' }).returning();
    const accepted = sendingEvents.MessageAccepted.encode({
      messageId: id,
      accountId: row.accountId,
      subaccountId: row.subaccountId,
      to,
      parts,
      acceptedAt: stored!.createdAt,
    }).finish();
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.messageAccepted, payload: accepted }]);
    return toMessage(stored!);
  });
}

async function refuse(tx: Tx, row: NewRow, refusal: Refusal): Promise<Message> {
  const [stored] = await tx
    .insert(messages)
    .values({ ...row, state: 'refused', sentStatus: refusal.code, refusalReason: refusal.reason })
    .returning();
  await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.messageSent, payload: messageSentEvent(stored!) }]);
  return toMessage(stored!);
}

function hashRequest(input: SendSmsInput): string {
  return createHash('sha256')
    .update(JSON.stringify([input.to, input.text, input.correlationId, input.callbackUrl]))
    .digest('base64url');
}
