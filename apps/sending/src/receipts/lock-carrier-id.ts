import type { Tx } from '@sabia/db';
import { sql } from 'drizzle-orm';

/**
 * Serialises, per carrier message id, the transaction recording a submit_sm_resp and the one
 * recording its receipt. Without it a receipt that arrives while the submit is being recorded
 * sees no message (not committed yet) and parks itself, while the submit looked for a parked
 * receipt before it existed: neither releases it. Held until commit.
 */
export async function lockCarrierId(tx: Tx, carrier: string, carrierMessageId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${carrier}), hashtext(${carrierMessageId}))`);
}
