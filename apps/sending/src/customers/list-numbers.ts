import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { and, asc, eq, gt } from 'drizzle-orm';
import { blockedNumbers, optOuts } from '../db';
import { nextToken, pageArgs } from './number-page';
import { targetSubaccount } from '@sabia/auth';

/** The account's blocked list, a page at a time. */
export async function listBlockedNumbers(db: DbOrTx, principal: UserPrincipal, page: { pageSize: number; pageToken: string }) {
  const { limit, after } = pageArgs(page.pageSize, page.pageToken);
  const rows = await db
    .select()
    .from(blockedNumbers)
    .where(and(eq(blockedNumbers.accountId, principal.accountId), gt(blockedNumbers.number, after)))
    .orderBy(asc(blockedNumbers.number))
    .limit(limit);
  return { numbers: rows, nextPageToken: nextToken(rows, limit) };
}

/** A subaccount's opt-out list, a page at a time. */
export async function listOptOuts(
  db: DbOrTx,
  principal: UserPrincipal,
  page: { subaccountId: string; pageSize: number; pageToken: string },
) {
  const subaccountId = targetSubaccount(principal, page.subaccountId);
  const { limit, after } = pageArgs(page.pageSize, page.pageToken);
  const rows = await db
    .select()
    .from(optOuts)
    .where(and(eq(optOuts.accountId, principal.accountId), eq(optOuts.subaccountId, subaccountId), gt(optOuts.number, after)))
    .orderBy(asc(optOuts.number))
    .limit(limit);
  return { numbers: rows, nextPageToken: nextToken(rows, limit) };
}
