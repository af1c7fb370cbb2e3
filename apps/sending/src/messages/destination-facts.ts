import type { DbOrTx } from '@sabia/db';
import { and, eq, sql } from 'drizzle-orm';
import { blockedNumbers, optOuts, portedNumbers } from '../db';

export interface DestinationFacts {
  blocked: boolean;
  optedOut: boolean;
  /** The carrier a ported number moved to. */
  portedTo?: string;
}

/** Blocked list, opt-out list and portability for one number: one query. */
export async function destinationFacts(db: DbOrTx, accountId: string, subaccountId: string, number: string): Promise<DestinationFacts> {
  const [row] = await db.execute<{ blocked: boolean; opted_out: boolean; ported_to: string | null }>(sql`
    select
      exists(select 1 from ${blockedNumbers} where ${and(eq(blockedNumbers.accountId, accountId), eq(blockedNumbers.number, number))}) as blocked,
      exists(select 1 from ${optOuts} where ${and(eq(optOuts.accountId, accountId), eq(optOuts.subaccountId, subaccountId), eq(optOuts.number, number))}) as opted_out,
      (select ${portedNumbers.carrier} from ${portedNumbers} where ${eq(portedNumbers.number, number)}) as ported_to`).then((r) => r.rows);
  return { blocked: Boolean(row?.blocked), optedOut: Boolean(row?.opted_out), portedTo: row?.ported_to ?? undefined };
}

/** The same facts for many numbers: three queries with one array parameter each, whatever the batch size. */
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
  const ported = await db
    .select({ number: portedNumbers.number, carrier: portedNumbers.carrier })
    .from(portedNumbers)
    .where(sql`${portedNumbers.number} = any(${sql.param(unique)}::text[])`);
  return {
    blocked: new Set(blocked.map((r) => r.number)),
    optedOut: new Set(optedOut.map((r) => r.number)),
    portedTo: new Map(ported.map((r) => [r.number, r.carrier])),
  };
}
