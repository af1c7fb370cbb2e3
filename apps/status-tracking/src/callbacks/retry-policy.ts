/** What one attempt's answer means for the callback. */
export type AttemptVerdict = 'delivered' | 'retry' | 'failed' | 'disabled';

/**
 * 2xx: delivered. 410 Gone: the receiver asks us to stop (the endpoint is disabled). 429, 5xx,
 * timeouts and network errors: retry. A refused destination (SSRF), a redirect and any other
 * answer: failed for good, since sending it again would get the same answer.
 */
export function verdictOf(outcome: { httpStatus: number } | { error: 'network' | 'refused' }): AttemptVerdict {
  if ('error' in outcome) return outcome.error === 'network' ? 'retry' : 'failed';
  const s = outcome.httpStatus;
  if (s >= 200 && s < 300) return 'delivered';
  if (s === 410) return 'disabled';
  if (s === 429 || s >= 500) return 'retry';
  return 'failed';
}

export const RETRY_WINDOW_MS = 24 * 3600_000;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3600_000;

/**
 * When to try again after `attempts` failed tries: exponential from 5 s, capped at an hour,
 * with "full jitter" between half and all of it so a receiver that comes back is not hit by
 * every queued callback at once. Undefined once the next try would fall past 24 hours after
 * the callback was created: it has failed.
 */
export function nextAttemptAt(attempts: number, createdAt: Date, now: Date, random = Math.random, scale = 1): Date | undefined {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1)) * scale;
  const at = new Date(now.getTime() + base * (0.5 + random() / 2));
  return at.getTime() - createdAt.getTime() > RETRY_WINDOW_MS * scale ? undefined : at;
}
