import type { Tx } from '@sabia/db';
import { sql } from 'drizzle-orm';

/** A carrier's message id: unique per carrier only (two carriers may issue the same one). */
export interface CarrierId {
  carrier: string;
  carrierMessageId: string;
}

/** One string per carrier id, for maps and sets. */
export const carrierIdKey = (id: CarrierId) => `${id.carrier}\u0000${id.carrierMessageId}`;

/**
 * Serialises, per carrier id, the transaction recording a submit_sm_resp (recordSubmissions)
 * and the one parking a receipt that found no part (recordReceipts): without it, a receipt that
 * arrives while its submit is being recorded parks itself unseen while the submit looks for
 * parked receipts before the park exists, and neither releases it. Both take their locks
 * through here, in one fixed order, so they can never deadlock. Held until commit.
 */
export async function lockCarrierIds(tx: Tx, ids: CarrierId[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    select pg_advisory_xact_lock(hashtext(c), hashtext(m))
    from (select c, m from (select distinct c, m from unnest(${sql.param(ids.map((i) => i.carrier))}::text[], ${sql.param(ids.map((i) => i.carrierMessageId))}::text[]) as t(c, m)) d
          order by hashtext(c), hashtext(m)) ordered`);
}
