import type { UserPrincipal } from '@sabia/auth';
import type { status as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { sql } from 'drizzle-orm';
import { messageStatus } from '../db';
import { filterConditions } from './message-filter';

const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new InvalidArgumentError(`unknown time zone ${zone}; use an IANA name such as America/Sao_Paulo`, { field: 'time_zone' });
  }
}

/** Counts per day (in the customer's time zone), subaccount, carrier and status pair: one GROUP BY in Postgres. */
export async function consolidatedReport(db: Db, principal: UserPrincipal, req: pb.GetReportRequest) {
  const zone = checkTimeZone(req.timeZone || DEFAULT_TIME_ZONE);
  const { where } = filterConditions(principal, req.filter, { periodRequired: true });
  const day = sql<string>`to_char(${messageStatus.sentAt} at time zone ${zone}, 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      day,
      subaccountId: messageStatus.subaccountId,
      carrier: messageStatus.carrier,
      sentStatus: sql<number>`coalesce(${messageStatus.sentStatus}, 0)`,
      deliveredStatus: sql<number>`coalesce(${messageStatus.deliveredStatus}, 0)`,
      messages: sql<string>`count(*)`,
      parts: sql<string>`sum(${messageStatus.parts})`,
    })
    .from(messageStatus)
    .where(where)
    .groupBy(sql`1, 2, 3, 4, 5`)
    .orderBy(sql`1, 2, 3, 4, 5`);
  const out = rows.map((r) => ({ ...r, sentStatus: Number(r.sentStatus), deliveredStatus: Number(r.deliveredStatus), messages: BigInt(r.messages), parts: BigInt(r.parts) }));
  return {
    rows: out,
    totalMessages: out.reduce((s, r) => s + r.messages, 0n),
    totalParts: out.reduce((s, r) => s + r.parts, 0n),
  };
}
