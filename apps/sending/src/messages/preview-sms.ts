import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { previewSms as preview } from '@sabia/sms-encoding';
import { getSettings } from '../customers/get-settings';
import { validateText } from './validate-send';

/** What the text would become under the caller's settings; nothing is stored. */
export async function previewSms(db: DbOrTx, principal: UserPrincipal, text: string) {
  validateText(text);
  const { settings } = await getSettings(db, principal.accountId, principal.subaccountId);
  const result = preview(text, { maxChars: settings.maxChars, accents: settings.accentsEnabled, concatenate: true });
  // The customer's limit counts characters, as acceptance rule 214 does.
  return { ...result, overLimit: [...result.text].length > settings.maxChars };
}
