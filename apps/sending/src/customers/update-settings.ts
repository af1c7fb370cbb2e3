import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import { checkCallbackUrl } from '../messages/callback-url';
import { customerSettings } from '../db';
import { validateSettings, type CustomerSettings } from './settings';
import { requireManager, targetSubaccount } from '@sabia/auth';

/** Replaces the account's default settings or one subaccount's (administrador and gerente). */
export async function updateSettings(
  db: DbOrTx,
  principal: UserPrincipal,
  input: { settings: CustomerSettings; subaccountId: string; accountDefault: boolean },
  urlPolicy?: AddressPolicy,
) {
  requireManager(principal, 'change sending settings');
  const subaccountId = input.accountDefault ? '' : targetSubaccount(principal, input.subaccountId);
  const settings = validateSettings(input.settings, (url) => checkCallbackUrl(url, urlPolicy));
  const values = { ...settings, accountId: principal.accountId, subaccountId, updatedAt: new Date(), updatedBy: principal.userId };
  const [row] = await db
    .insert(customerSettings)
    .values(values)
    .onConflictDoUpdate({ target: [customerSettings.accountId, customerSettings.subaccountId], set: values })
    .returning();
  return row!;
}
