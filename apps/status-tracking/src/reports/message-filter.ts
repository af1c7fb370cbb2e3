import { isOrgWide, targetSubaccount, type UserPrincipal } from '@sabia/auth';
import type { status as pb } from '@sabia/contracts';
import { InvalidArgumentError } from '@sabia/errors';
import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import { messageStatus } from '../db';

const MAX_PERIOD_DAYS = 366;

export interface Period {
  start: Date;
  end: Date;
}

/**
 * Turns a request's filter into SQL conditions, always within the caller's account and, for
 * roles that are not organisation-wide, within the caller's own subaccount.
 */
export function filterConditions(principal: UserPrincipal, filter: pb.MessageFilter | undefined, opts: { periodRequired: boolean }): { where: SQL; period?: Period } {
  const f = filter ?? ({} as Partial<pb.MessageFilter>);
  const conditions: SQL[] = [eq(messageStatus.accountId, principal.accountId)];
  const subaccount = f.subaccountId ? targetSubaccount(principal, f.subaccountId) : isOrgWide(principal) ? '' : principal.subaccountId;
  if (subaccount) conditions.push(eq(messageStatus.subaccountId, subaccount));
  const period = periodOf(f.periodStart, f.periodEnd, opts.periodRequired);
  if (period) conditions.push(gte(messageStatus.sentAt, period.start), lt(messageStatus.sentAt, period.end));
  if (f.sentStatus) conditions.push(eq(messageStatus.sentStatus, f.sentStatus));
  if (f.deliveredStatus) conditions.push(eq(messageStatus.deliveredStatus, f.deliveredStatus));
  if (f.correlationId) conditions.push(eq(messageStatus.correlationId, f.correlationId));
  if (f.destination) conditions.push(eq(messageStatus.to, f.destination));
  if (f.carrier) conditions.push(eq(messageStatus.carrier, f.carrier));
  return { where: and(...conditions)!, period };
}

function periodOf(start: Date | undefined, end: Date | undefined, required: boolean): Period | undefined {
  if (!start && !end) {
    if (required) throw new InvalidArgumentError('filter.period_start and filter.period_end are required', { field: 'filter.period_start' });
    return undefined;
  }
  if (!start || !end) throw new InvalidArgumentError('give both filter.period_start and filter.period_end, or neither', { field: 'filter.period_start' });
  if (end <= start) throw new InvalidArgumentError('filter.period_end must be after filter.period_start', { field: 'filter.period_end' });
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw new InvalidArgumentError(`a period covers at most ${MAX_PERIOD_DAYS} days`, { field: 'filter.period_end' });
  }
  return { start, end };
}
