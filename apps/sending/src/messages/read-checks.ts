import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { sql } from 'drizzle-orm';
import { effectiveSettings } from '../customers/get-settings';
import type { CustomerSettings } from '../customers/settings';
import { blockedNumbers, customerSettings, messages, optOuts, portedNumbers } from '../db';
import type { DestinationFacts } from './destination-facts';

type SettingsRow = typeof customerSettings.$inferSelect;

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
  // json_agg gives the columns' snake_case names; the settings rows use drizzle's camelCase.
  const rows = (row.settings ?? []).map(
    (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), v])) as SettingsRow,
  );
  return {
    replay: row.replay,
    settings: effectiveSettings(rows, subaccountId).settings,
    facts: { blocked: row.blocked, optedOut: row.opted_out, portedTo: row.ported_to ?? undefined },
  };
}
