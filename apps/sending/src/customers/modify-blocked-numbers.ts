import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { and, eq, inArray } from 'drizzle-orm';
import { blockedNumbers } from '../db';
import { checkBatchSize } from './number-page';
import { toE164 } from './phone-number';
import { requireManager } from '@sabia/auth';

/** Adds to and removes from the account's blocked list; numbers already there keep their history. */
export async function modifyBlockedNumbers(db: Db, principal: UserPrincipal, input: { add: string[]; remove: string[] }) {
  requireManager(principal, 'change the blocked list');
  checkBatchSize(input.add, input.remove);
  const add = [...new Set(input.add.map((n) => toE164(n)))];
  const remove = [...new Set(input.remove.map((n) => toE164(n)))];
  return db.transaction(async (tx) => {
    const added = add.length
      ? await tx
          .insert(blockedNumbers)
          .values(add.map((number) => ({ accountId: principal.accountId, number, addedBy: principal.userId })))
          .onConflictDoNothing()
          .returning({ number: blockedNumbers.number })
      : [];
    const removed = remove.length
      ? await tx
          .delete(blockedNumbers)
          .where(and(eq(blockedNumbers.accountId, principal.accountId), inArray(blockedNumbers.number, remove)))
          .returning({ number: blockedNumbers.number })
      : [];
    return { added: added.length, removed: removed.length };
  });
}
