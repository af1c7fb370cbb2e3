import type { DbOrTx } from '@sabia/db';
import { and, eq, sql } from 'drizzle-orm';
import { blockedNumbers, optOuts } from '../db';

/** Whether a number is on the account's blocked list and on the subaccount's opt-out list: one query. */
export async function destinationFacts(db: DbOrTx, accountId: string, subaccountId: string, number: string) {
  const [row] = await db.execute<{ blocked: boolean; opted_out: boolean }>(sql`
    select
      exists(select 1 from ${blockedNumbers} where ${and(eq(blockedNumbers.accountId, accountId), eq(blockedNumbers.number, number))}) as blocked,
      exists(select 1 from ${optOuts} where ${and(eq(optOuts.accountId, accountId), eq(optOuts.subaccountId, subaccountId), eq(optOuts.number, number))}) as opted_out`).then((r) => r.rows);
  return { blocked: Boolean(row?.blocked), optedOut: Boolean(row?.opted_out) };
}

/** The same facts for many numbers: two queries with one array parameter, whatever the batch size. */
export async function destinationFactsMany(db: DbOrTx, accountId: string, subaccountId: string, numbers: string[]) {
  const unique = [...new Set(numbers)];
  const blocked = await db
    .select({ number: blockedNumbers.number })
    .from(blockedNumbers)
    .where(and(eq(blockedNumbers.accountId, accountId), sql`${blockedNumbers.number} = any(${sql.param(unique)}::text[])`));
  const optedOut = await db
    .select({ number: optOuts.number })
    .from(optOuts)
    .where(and(eq(optOuts.accountId, accountId), eq(optOuts.subaccountId, subaccountId), sql`${optOuts.number} = any(${sql.param(unique)}::text[])`));
  return { blocked: new Set(blocked.map((r) => r.number)), optedOut: new Set(optedOut.map((r) => r.number)) };
}
