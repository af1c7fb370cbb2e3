import type { UserPrincipal } from '@sabia/auth';
import { enqueueEvents, SUBJECTS } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import type { Db, Tx } from '@sabia/db';
import { AlreadyExistsError } from '@sabia/errors';
import { countParts } from '@sabia/sms-encoding';
import { SENT_STATUS } from '@sabia/status-codes';
import { activeTraceId } from '@sabia/telemetry';
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { messages, outbox } from '../db';
import { checkCallbackUrl } from './callback-url';
import { mobileCountry } from './destination';
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

/**
 * Accepts or refuses one SMS. Acceptance rules that fail store the message with the seed's
 * code (it is reported like any other and never submitted or billed); an accepted message
 * and its MessageAccepted event commit together, after billing reserved its parts.
 * The same idempotency key with the same request returns the original message.
 */
export async function sendSms(
  deps: { db: Db; reserve: ReservePort },
  principal: UserPrincipal,
  raw: SendSmsInput,
): Promise<Message> {
  const input = validateSendInput(raw);
  const callbackUrl = checkCallbackUrl(input.callbackUrl);
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

    const id = uuidv7();
    const { encoding, parts } = countParts(input.text);
    const base = {
      id,
      accountId: principal.accountId,
      subaccountId: principal.subaccountId,
      userId: principal.userId,
      to: input.to,
      text: input.text,
      encoding,
      parts,
      correlationId: input.correlationId,
      callbackUrl,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      traceId: activeTraceId(),
    };

    const country = mobileCountry(input.to);
    if (!country) return refuse(tx, { ...base }, SENT_STATUS.INVALID_DESTINATION_NUMBER);

    const reservation = await deps.reserve({ accountId: principal.accountId, subaccountId: principal.subaccountId, messageId: id, parts, country });
    // 201 (no credit) is a second-level code in the seed; until billing's issue defines how it
    // surfaces, both refusals report the first-level quota code.
    if (reservation !== 'reserved') return refuse(tx, base, SENT_STATUS.CUSTOMER_QUOTA_BLOCKED);

    const [row] = await tx.insert(messages).values({ ...base, state: 'accepted' }).returning();
    const accepted = sendingEvents.MessageAccepted.encode({
      messageId: id,
      accountId: base.accountId,
      subaccountId: base.subaccountId,
      to: base.to,
      parts,
      acceptedAt: row!.createdAt,
    }).finish();
    await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.messageAccepted, payload: accepted }]);
    return toMessage(row!);
  });
}

async function refuse(tx: Tx, base: Omit<MessageRow, 'state' | 'sentStatus' | 'carrier' | 'carrierMessageId' | 'createdAt' | 'submittedAt'>, code: number) {
  const [row] = await tx.insert(messages).values({ ...base, state: 'refused', sentStatus: code }).returning();
  await enqueueEvents(tx, outbox, [{ subject: SUBJECTS.messageSent, payload: messageSentEvent(row!) }]);
  return toMessage(row!);
}

function hashRequest(input: SendSmsInput): string {
  return createHash('sha256')
    .update(JSON.stringify([input.to, input.text, input.correlationId, input.callbackUrl]))
    .digest('base64url');
}
