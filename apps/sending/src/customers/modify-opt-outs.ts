import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { and, eq, inArray } from 'drizzle-orm';
import { optOuts } from '../db';
import { checkBatchSize } from './number-page';
import { toE164 } from './phone-number';
import { targetSubaccount } from '@sabia/auth';

/**
 * Edits a subaccount's opt-out list by hand (end users' keyword replies feed it too: replies/).
 * Any role may record an opt-out for its own subaccount: honouring one is never a risk.
 */
export async function modifyOptOuts(
  db: Db,
  principal: UserPrincipal,
  input: { subaccountId: string; add: string[]; remove: string[]; addedBy?: string },
) {
  const subaccountId = targetSubaccount(principal, input.subaccountId);
  checkBatchSize(input.add, input.remove);
  const add = [...new Set(input.add.map((n) => toE164(n)))];
  const remove = [...new Set(input.remove.map((n) => toE164(n)))];
  const scope = and(eq(optOuts.accountId, principal.accountId), eq(optOuts.subaccountId, subaccountId));
  return db.transaction(async (tx) => {
    const added = add.length
      ? await tx
          .insert(optOuts)
          .values(add.map((number) => ({ accountId: principal.accountId, subaccountId, number, addedBy: input.addedBy ?? principal.userId })))
          .onConflictDoNothing()
          .returning({ number: optOuts.number })
      : [];
    const removed = remove.length
      ? await tx.delete(optOuts).where(and(scope, inArray(optOuts.number, remove))).returning({ number: optOuts.number })
      : [];
    return { added: added.length, removed: removed.length };
  });
}
