import type { DbOrTx } from '@sabia/db';
import { and, asc, eq } from 'drizzle-orm';
import { transfers } from '../db';

/** A tenant's transfers, oldest first; always filtered by tenant. */
export async function listTransfers(db: DbOrTx, tenantId: string, messageId?: string) {
  const filter = messageId
    ? and(eq(transfers.tenantId, tenantId), eq(transfers.messageId, messageId))
    : eq(transfers.tenantId, tenantId);
  return db.select().from(transfers).where(filter).orderBy(asc(transfers.createdAt), asc(transfers.id)).limit(1000);
}
