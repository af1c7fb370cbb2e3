import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { DEFAULT_SETTINGS, type CustomerSettings } from '../customers/settings';
import { blockedNumbers, customerSettings, messages, optOuts, portedNumbers } from '../db';
import type { DestinationFacts } from './destination-facts';

export interface Checks {
  /** A message with this idempotency key exists (the caller fetches it to answer the replay). */
  replay: boolean;
  settings: CustomerSettings;
  facts: DestinationFacts;
}

/**
 * Everything SendSms reads before deciding, in ONE statement (one snapshot, one round trip):
 * whether the key was used, the settings in force (subaccount over account over defaults), and
 * the destination's blocked / opt-out / portability facts. Needs the destination in E.164
 * already, so it serves numbers given with their country code (national numbers take the
 * longer path: their normalisation depends on the settings).
 */
export async function readChecks(db: Db, principal: UserPrincipal, idempotencyKey: string, to: string): Promise<Checks> {
  const { accountId, subaccountId } = principal;
  const result = await db.execute<{ replay: boolean; settings: Array<Record<string, unknown>> | null; blocked: boolean; opted_out: boolean; ported_to: string | null }>(sql`
    select
      exists(select 1 from ${messages} where account_id = ${accountId} and idempotency_key = ${idempotencyKey}) as replay,
      (select json_agg(s) from ${customerSettings} s where s.account_id = ${accountId} and s.subaccount_id in (${subaccountId}, '')) as settings,
      exists(select 1 from ${blockedNumbers} where account_id = ${accountId} and number = ${to}) as blocked,
      exists(select 1 from ${optOuts} where account_id = ${accountId} and subaccount_id = ${subaccountId} and number = ${to}) as opted_out,
      (select carrier from ${portedNumbers} where number = ${to}) as ported_to`);
  const row = result.rows[0]!;
  const rows = row.settings ?? [];
  const own = rows.find((r) => r.subaccount_id === subaccountId && subaccountId !== '');
  const account = rows.find((r) => r.subaccount_id === '');
  const chosen = own ?? account;
  return {
    replay: row.replay,
    settings: chosen ? settingsOf(chosen) : DEFAULT_SETTINGS,
    facts: { blocked: row.blocked, optedOut: row.opted_out, portedTo: row.ported_to ?? undefined },
  };
}

/** A customer_settings row as json_agg gives it (snake_case). */
function settingsOf(r: Record<string, unknown>): CustomerSettings {
  return {
    allowedCountries: r.allowed_countries as string[],
    forbiddenWords: r.forbidden_words as string[],
    accentsEnabled: r.accents_enabled as boolean,
    maxChars: Number(r.max_chars),
    defaultCallbackUrl: String(r.default_callback_url),
    allowNationalNumbers: r.allow_national_numbers as boolean,
    defaultCountry: String(r.default_country),
    moUrl: String(r.mo_url),
    optOutKeywords: r.opt_out_keywords as string[],
    optInKeywords: r.opt_in_keywords as string[],
  };
}
