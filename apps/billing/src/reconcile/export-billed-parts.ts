import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { transfers } from '../db';
import { periodBounds } from '../quotas/quota-period';

const BATCH = 5_000;

export interface BilledMessage {
  messageId: string;
  accountId: string;
  reservedParts: number;
  postedParts: number;
  incidentParts: number;
}

/** Per message reserved in the month: parts reserved, posted, and voided by an incident; keyset batches. */
export async function exportBilledParts(db: Db, input: { period: string; accountId: string }, send: (batch: BilledMessage[]) => Promise<void>) {
  const { start, end } = periodBounds(input.period);
  let after = '';
  for (;;) {
    const rows = await db.execute<{ message_id: string; tenant_id: string; reserved: number; posted: number; incident: number }>(sql`
      select p.message_id, min(p.tenant_id) as tenant_id, count(*)::int as reserved,
        count(s.id) filter (where s.kind = 'post_pending')::int as posted,
        count(s.id) filter (where s.kind = 'void_pending' and s.incident_id is not null)::int as incident
      from ${transfers} p left join ${transfers} s on s.pending_id = p.id
      where p.kind = 'pending' and p.message_id > ${after}
        and p.created_at >= ${start.toISOString()}::timestamptz and p.created_at < ${end.toISOString()}::timestamptz
        and (${input.accountId} = '' or p.tenant_id = ${input.accountId})
      group by p.message_id order by p.message_id limit ${BATCH}`);
    if (rows.rows.length === 0) return;
    await send(rows.rows.map((r) => ({ messageId: r.message_id, accountId: r.tenant_id, reservedParts: r.reserved, postedParts: r.posted, incidentParts: r.incident })));
    after = rows.rows.at(-1)!.message_id;
    if (rows.rows.length < BATCH) return;
  }
}
