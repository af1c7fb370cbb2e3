import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import { AlreadyExistsError, InvalidArgumentError } from '@sabia/errors';
import { activeTraceId } from '@sabia/telemetry';
import { and, asc, eq, sql } from 'drizzle-orm';
import { getSettings } from '../customers/get-settings';
import type { Router } from '../routing/router';
import { toE164 } from '../customers/phone-number';
import { batches, messages } from '../db';
import { checkCallbackUrl } from './callback-url';
import { destinationFactsMany } from './destination-facts';
import { draftMessage, type PartsCache } from './draft-message';
import { renderText } from './render-text';
import { hashRequest, quotaRefusal } from './send-sms';
import { storeMessagesWhile } from './store-messages';
import { expiryOf, validateCorrelationId, validateIdempotencyKey, validateText } from './validate-send';

export const MAX_BATCH = 10_000;

export interface BatchInput {
  text: string;
  recipients: Array<{ to: string; text: string; variables: Record<string, string>; correlationId: string }>;
  idempotencyKey: string;
  correlationId: string;
  callbackUrl: string;
  validitySeconds: number;
}

export type ReserveBatchPort = (input: {
  accountId: string;
  subaccountId: string;
  /** Reservations made ahead for messages not accepted yet: taken within this many seconds (see billing/reservation-pool.ts). */
  useWithinSeconds?: number;
  items: Array<{ messageId: string; parts: number; country: string; carrier: string }>;
}) => Promise<Array<'reserved' | 'no_credit' | 'quota_blocked'>>;

export interface BatchOutcome {
  batchId: string;
  results: Array<{ index: number; messageId: string; sentStatus: number | null; reason: string }>;
}

/**
 * Up to 10,000 recipients in one transaction: everything malformed is refused up front
 * (INVALID_ARGUMENT naming the recipient, nothing stored); then each recipient is accepted or
 * refused on its own by the same rules as SendSms, billing reserves the accepted ones in one
 * call while the messages are inserted, and messages and events are stored with multi-row
 * inserts.
 */
export async function sendBatch(deps: { db: Db; reserveBatch: ReserveBatchPort; router: Router; urlPolicy?: AddressPolicy }, principal: UserPrincipal, input: BatchInput): Promise<BatchOutcome> {
  if (input.recipients.length === 0) throw new InvalidArgumentError('recipients must not be empty', { field: 'recipients' });
  if (input.recipients.length > MAX_BATCH) {
    throw new InvalidArgumentError(`a batch holds at most ${MAX_BATCH} recipients, not ${input.recipients.length}`, { field: 'recipients' });
  }
  validateIdempotencyKey(input.idempotencyKey);
  validateCorrelationId(input.correlationId);
  const callbackUrl = checkCallbackUrl(input.callbackUrl, deps.urlPolicy);
  const expiresAt = expiryOf(input.validitySeconds);
  const texts = input.recipients.map((r, i) => {
    const where = `recipients[${i}]`;
    const template = r.text || input.text;
    if (!template) throw new InvalidArgumentError(`${where} has no text and the batch has none`, { field: where });
    const text = renderText(template, r.variables, where);
    validateText(text, `${where}.text`);
    validateCorrelationId(r.correlationId, `${where}.correlation_id`);
    return text;
  });
  const requestHash = hashRequest([input.text, input.recipients, input.correlationId, input.callbackUrl, input.validitySeconds]);

  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${principal.accountId}), hashtext(${input.idempotencyKey}))`);
    const [existing] = await tx
      .select()
      .from(batches)
      .where(and(eq(batches.accountId, principal.accountId), eq(batches.idempotencyKey, input.idempotencyKey)));
    if (existing) {
      if (existing.requestHash !== requestHash) throw new AlreadyExistsError('idempotency_key was already used for a different batch', { batchId: existing.id });
      return outcomeOf(existing.id, await tx.select().from(messages).where(eq(messages.batchId, existing.id)).orderBy(asc(messages.batchIndex)));
    }

    const { settings } = await getSettings(tx, principal.accountId, principal.subaccountId);
    const national = settings.allowNationalNumbers ? settings : undefined;
    const numbers = input.recipients.map((r, i) => {
      try {
        return toE164(r.to, national);
      } catch (err) {
        throw new InvalidArgumentError(`recipients[${i}].to: ${(err as Error).message}`, { field: `recipients[${i}].to` });
      }
    });
    const facts = await destinationFactsMany(tx, principal.accountId, principal.subaccountId, numbers);
    const batchId = uuidv7();
    const traceId = activeTraceId();
    const partsCache: PartsCache = new Map();
    const drafts = input.recipients.map((r, index) =>
      draftMessage({
        principal,
        settings,
        to: numbers[index]!,
        text: texts[index]!,
        correlationId: r.correlationId || input.correlationId,
        callbackUrl,
        idempotencyKey: `${input.idempotencyKey}#${index}`,
        requestHash,
        traceId,
        facts: {
          blocked: facts.blocked.has(numbers[index]!),
          optedOut: facts.optedOut.has(numbers[index]!),
          portedTo: facts.portedTo.get(numbers[index]!),
        },
        router: deps.router,
        batch: { id: batchId, index },
        partsCache,
        expiresAt,
      }),
    );
    const passing = drafts.filter((d) => !d.refusal);
    // Billing reserves while the messages are being inserted; what it refuses is marked refused
    // before the transaction commits.
    const reserve = async () => {
      if (passing.length === 0) return;
      const answers = await deps.reserveBatch({
        accountId: principal.accountId,
        subaccountId: principal.subaccountId,
        items: passing.map((d) => ({ messageId: d.row.id, parts: d.row.parts, country: d.country, carrier: d.row.carrier ?? '' })),
      });
      passing.forEach((d, i) => {
        const answer = answers[i]!;
        if (answer !== 'reserved') d.refusal = quotaRefusal(answer);
      });
    };
    await tx.insert(batches).values({ id: batchId, accountId: principal.accountId, idempotencyKey: input.idempotencyKey, requestHash, size: drafts.length });
    return outcomeOf(batchId, await storeMessagesWhile(tx, drafts, reserve));
  });
}

function outcomeOf(batchId: string, rows: Array<{ id: string; batchIndex: number | null; sentStatus: number | null; refusalReason: string | null; state: string }>): BatchOutcome {
  return {
    batchId,
    results: rows.map((r) => ({
      index: r.batchIndex!,
      messageId: r.id,
      sentStatus: r.state === 'refused' ? r.sentStatus : null,
      reason: r.refusalReason ?? '',
    })),
  };
}
