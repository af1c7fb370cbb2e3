import type { DbOrTx } from '@sabia/db';
import { and, eq, inArray } from 'drizzle-orm';
import { customerSettings } from '../db';
import { DEFAULT_SETTINGS, type CustomerSettings } from './settings';

export type SettingsSource = 'subaccount' | 'account' | 'default';
type Row = typeof customerSettings.$inferSelect;

export interface EffectiveSettings {
  settings: CustomerSettings;
  source: SettingsSource;
  row?: Row;
}

const fromRow = (row: Row): CustomerSettings => ({
  allowedCountries: row.allowedCountries,
  forbiddenWords: row.forbiddenWords,
  accentsEnabled: row.accentsEnabled,
  maxChars: row.maxChars,
  defaultCallbackUrl: row.defaultCallbackUrl,
  allowNationalNumbers: row.allowNationalNumbers,
  defaultCountry: row.defaultCountry,
  moUrl: row.moUrl,
  optOutKeywords: row.optOutKeywords,
  optInKeywords: row.optInKeywords,
});

/** A subaccount's own settings win over the account's, which win over the defaults. */
export async function getSettings(db: DbOrTx, accountId: string, subaccountId: string): Promise<EffectiveSettings> {
  const rows = await db
    .select()
    .from(customerSettings)
    .where(and(eq(customerSettings.accountId, accountId), inArray(customerSettings.subaccountId, [subaccountId, ''])));
  return effectiveSettings(rows, subaccountId);
}

/** Of an account's default row and a subaccount's own row, the one in force. */
export function effectiveSettings(rows: readonly Row[], subaccountId: string): EffectiveSettings {
  const own = rows.find((r) => r.subaccountId === subaccountId && subaccountId !== '');
  if (own) return { settings: fromRow(own), source: 'subaccount', row: own };
  const account = rows.find((r) => r.subaccountId === '');
  if (account) return { settings: fromRow(account), source: 'account', row: account };
  return { settings: DEFAULT_SETTINGS, source: 'default' };
}
