import type { Db } from '@sabia/db';
import { RefusedDestinationError, safePost, webhookHeaders, type AddressPolicy, type ConnectionPool } from '@sabia/webhooks';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { callbacks, disabledEndpoints } from '../db';
import { nextAttemptAt, verdictOf, type AttemptVerdict } from './retry-policy';
import { earlierAttemptsInsert, type AttemptRecorder } from './attempt-recorder';
import type { CallbackRow } from './callback-row';
import type { CallbackCache } from './callback-cache';

export interface DeliveryOptions {
  policy: AddressPolicy;
  /** Keep-alive connections to receivers (per vetted address). */
  pool: ConnectionPool;
  /** Batches the writes of attempts (see attempt-recorder.ts). */
  recorder: AttemptRecorder;
  /** Short-lived reads of secrets and disabled endpoints (see callback-cache.ts). */
  cache: CallbackCache;
  timeoutMs: number;
  /** Multiplies retry delays and the 24-hour window (tests compress them). */
  retryScale: number;
}

/**
 * One attempt at one callback (already leased by the worker): sign it with every active secret
 * of its subaccount, POST it through safePost, record the attempt and decide what comes next.
 */
export async function deliverCallback(db: Db, cb: CallbackRow, options: DeliveryOptions): Promise<AttemptVerdict> {
  const { cache } = options;
  if (await cache.isDisabled(cb.accountId, cb.url)) return finish(db, cb, 'disabled', { httpStatus: 0, error: 'the endpoint answered 410 Gone before; not called', durationMs: 0 }, options);

  const secrets = await cache.secrets(cb);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = { 'content-type': 'application/json', ...webhookHeaders(secrets.map((s) => s.secret), cb.id, timestamp, cb.payload) };
  let attempt: { httpStatus: number; error: string; durationMs: number };
  let verdict: AttemptVerdict;
  const started = performance.now();
  try {
    const result = await safePost(cb.url, { body: cb.payload, headers, timeoutMs: options.timeoutMs, policy: options.policy, pool: options.pool });
    attempt = { httpStatus: result.status, error: '', durationMs: result.durationMs };
    verdict = verdictOf({ httpStatus: result.status });
  } catch (err) {
    const refused = err instanceof RefusedDestinationError;
    attempt = { httpStatus: 0, error: (err as Error).message, durationMs: Math.round(performance.now() - started) };
    verdict = verdictOf({ error: refused ? 'refused' : 'network' });
  }
  return finish(db, cb, verdict, attempt, options);
}

async function finish(
  db: Db,
  cb: CallbackRow,
  verdict: AttemptVerdict,
  attempt: { httpStatus: number; error: string; durationMs: number },
  options: DeliveryOptions,
): Promise<AttemptVerdict> {
  const attempts = cb.attempts + 1;
  const now = new Date();
  const retryAt = verdict === 'retry' ? nextAttemptAt(attempts, cb.createdAt, now, Math.random, options.retryScale) : undefined;
  const final = verdict === 'retry' && !retryAt ? 'failed' : verdict;
  if (final !== 'disabled') {
    const item = {
      callbackId: cb.id,
      messageId: cb.messageId,
      statusCallback: cb.type !== 'message.reply',
      ...attempt,
      attempts,
      state: final === 'retry' ? ('pending' as const) : final,
      nextAttemptAt: retryAt ?? now,
      finishedAt: final === 'retry' ? null : now,
    };
    await options.recorder.record(item);
    return final;
  }
  await db.transaction(async (tx) => {
    await tx.execute(earlierAttemptsInsert([cb.id]));
    await tx
      .update(callbacks)
      .set({ attempts, state: final, finishedAt: now, lastAttemptAt: sql`now()`, lastHttpStatus: attempt.httpStatus, lastError: attempt.error, lastDurationMs: attempt.durationMs })
      .where(eq(callbacks.id, cb.id));
    await tx.insert(disabledEndpoints).values({ accountId: cb.accountId, url: cb.url }).onConflictDoNothing();
    // Everything else queued for that URL stops too.
    await tx
      .update(callbacks)
      .set({ state: 'disabled', finishedAt: now })
      .where(and(eq(callbacks.accountId, cb.accountId), eq(callbacks.url, cb.url), inArray(callbacks.state, ['pending', 'waiting']), sql`${callbacks.id} <> ${cb.id}`));
  });
  options.cache.markDisabled(cb.accountId, cb.url);
  return final;
}
