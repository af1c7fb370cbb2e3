import type { DbOrTx } from '@sabia/db';
import { available, findAccount } from './accounts';
import { customerAccountId } from './transfer-ids';

export async function getBalance(db: DbOrTx, tenantId: string, currency: string) {
  const account = await findAccount(db, customerAccountId(tenantId, currency));
  if (!account) return { available: 0n, pending: 0n, currency };
  return { available: available(account), pending: account.debitsPending, currency };
}
