import type { Db } from '@sabia/db';
import { and, eq, sql } from 'drizzle-orm';
import { transfers } from '../db';

/** What an incident spared one account: the messages and parts not billed, and how much, per currency. */
export async function incidentStatement(db: Db, tenantId: string, incidentId: string) {
  const rows = await db
    .select({
      currency: transfers.currency,
      messages: sql<string>`count(distinct ${transfers.messageId})`,
      parts: sql<string>`count(*)`,
      amount: sql<string>`coalesce(sum(${transfers.amount}), 0)`,
    })
    .from(transfers)
    .where(and(eq(transfers.tenantId, tenantId), eq(transfers.incidentId, incidentId), eq(transfers.kind, 'void_pending')))
    .groupBy(transfers.currency);
  return rows.map((r) => ({ currency: r.currency, messages: BigInt(r.messages), parts: BigInt(r.parts), amount: BigInt(r.amount) }));
}
