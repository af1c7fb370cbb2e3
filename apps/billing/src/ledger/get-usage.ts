import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { sql, type SQL } from 'drizzle-orm';
import { transfers } from '../db';

const GROUPS: Record<string, SQL> = {
  day: sql`to_char(${transfers.createdAt} at time zone 'America/Sao_Paulo', 'YYYY-MM-DD')`,
  subaccount: sql`coalesce(${transfers.subaccountId}, '')`,
  channel: sql`coalesce(${transfers.channel}, 'sms')`,
  country: sql`coalesce(${transfers.country}, '')`,
  carrier: sql`coalesce(${transfers.carrier}, '')`,
};

/** What an account was billed (posted parts) in a period, grouped by any of day, subaccount, channel, country, carrier. */
export async function getUsage(db: Db, tenantId: string, input: { start?: Date; end?: Date; groupBy: string[] }) {
  if (!input.start || !input.end || input.end <= input.start) throw new InvalidArgumentError('give period_start and a later period_end', { field: 'period_end' });
  const unknown = input.groupBy.filter((g) => !GROUPS[g]);
  if (unknown.length) throw new InvalidArgumentError(`group_by takes day, subaccount, channel, country, carrier; not ${unknown.join(', ')}`, { field: 'group_by' });
  const groups = [...new Set(input.groupBy)];
  const pick = (g: string) => (groups.includes(g) ? GROUPS[g]! : sql`''`);
  const rows = await db.execute<{ day: string; subaccount: string; channel: string; country: string; carrier: string; currency: string; parts: string; amount: string }>(sql`
    select ${pick('day')} as day, ${pick('subaccount')} as subaccount, ${pick('channel')} as channel, ${pick('country')} as country,
      ${pick('carrier')} as carrier, ${transfers.currency} as currency, count(*) as parts, sum(${transfers.amount}) as amount
    from ${transfers}
    where ${transfers.tenantId} = ${tenantId} and ${transfers.kind} = 'post_pending'
      and ${transfers.createdAt} >= ${input.start.toISOString()}::timestamptz and ${transfers.createdAt} < ${input.end.toISOString()}::timestamptz
    group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`);
  return rows.rows.map((r) => ({
    day: r.day, subaccountId: r.subaccount, channel: r.channel, country: r.country, carrier: r.carrier, currency: r.currency,
    parts: BigInt(r.parts), amount: BigInt(r.amount),
  }));
}
