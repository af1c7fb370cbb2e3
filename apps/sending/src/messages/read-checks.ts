import type { UserPrincipal } from '@sabia/auth';
import { preparedStatement, type Db, type ParamOrSlot } from '@sabia/db';
import { MicroBatcher } from '@sabia/runtime';
import { sql, type SQL } from 'drizzle-orm';
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

export interface CheckQuery {
  principal: UserPrincipal;
  idempotencyKey: string;
  /** The destination in E.164. */
  to: string;
}

export type ChecksPort = (query: CheckQuery) => Promise<Checks>;

/**
 * readChecksMany's statement for these queries, their values written in (for a test of its plan;
 * readChecksMany runs the same text, built once, with only the values given). Each test is
 * a scalar subquery with LIMIT 1, one index probe per call, never EXISTS: the planner may run
 * an EXISTS as a hashed subplan, which reads the whole table to hash it, and on a young
 * database (statistics from when messages was small) it did for bursts of checks (at 500
 * SendSms a second, 1,113 full scans of messages in 16 s).
 *
 * One query (most SendSms calls: a batch grows only under load) reads its values from scalar
 * parameters, many from arrays. Postgres keeps one plan for a prepared statement (its generic
 * plan) only when that plan looks no dearer than one made for the values at hand; over arrays
 * the generic plan assumes ten elements, so a one-element array was planned again on every
 * call (0.1 ms of Postgres CPU, more than running it). The kept plan may be made while the
 * tables are still empty: each probe has exactly one index that answers it.
 */
export function checksSql(queries: CheckQuery[]): SQL {
  const one = queries.length === 1 ? queries[0]! : undefined;
  if (one) return checksFrom(oneQuery({ account: sql.param(one.principal.accountId), sub: sql.param(one.principal.subaccountId), key: sql.param(one.idempotencyKey), dest: sql.param(one.to) }));
  const { accounts, subs, keys, dests } = queryColumns(queries);
  return checksFrom(manyQueries({ accounts: sql.param(accounts), subs: sql.param(subs), keys: sql.param(keys), dests: sql.param(dests) }));
}

function checksFrom(source: SQL): SQL {
  return sql`
    select q.n,
      (select true from ${messages} where account_id = q.account and idempotency_key = q.key and batch_id is null limit 1) is not null as replay,
      (select json_agg(s) from ${customerSettings} s where s.account_id = q.account and s.subaccount_id in (q.sub, '')) as settings,
      (select true from ${blockedNumbers} where account_id = q.account and number = q.dest limit 1) is not null as blocked,
      (select true from ${optOuts} where account_id = q.account and subaccount_id = q.sub and number = q.dest limit 1) is not null as opted_out,
      (select carrier from ${portedNumbers} where number = q.dest) as ported_to
    from ${source}
    order by q.n`;
}

const oneQuery = (v: Record<'account' | 'sub' | 'key' | 'dest', ParamOrSlot>) =>
  sql`(values (${v.account}::text, ${v.sub}::text, ${v.key}::text, ${v.dest}::text, 1::bigint)) as q(account, sub, key, dest, n)`;

const manyQueries = (v: Record<'accounts' | 'subs' | 'keys' | 'dests', ParamOrSlot>) =>
  sql`unnest(${v.accounts}::text[], ${v.subs}::text[], ${v.keys}::text[], ${v.dests}::text[]) with ordinality as q(account, sub, key, dest, n)`;

function queryColumns(queries: CheckQuery[]) {
  return {
    accounts: queries.map((q) => q.principal.accountId),
    subs: queries.map((q) => q.principal.subaccountId),
    keys: queries.map((q) => q.idempotencyKey),
    dests: queries.map((q) => q.to),
  };
}

interface ChecksRow {
  n: string;
  replay: boolean;
  settings: Array<Record<string, unknown>> | null;
  blocked: boolean;
  opted_out: boolean;
  ported_to: string | null;
}

// Built once each (preparedStatement): a call only gives its values.
const checkOne = preparedStatement<{ account: string; sub: string; key: string; dest: string }, ChecksRow>('sending_read_checks_one', (slot) =>
  checksFrom(oneQuery({ account: slot('account'), sub: slot('sub'), key: slot('key'), dest: slot('dest') })),
);
const checkMany = preparedStatement<ReturnType<typeof queryColumns>, ChecksRow>('sending_read_checks', (slot) =>
  checksFrom(manyQueries({ accounts: slot('accounts'), subs: slot('subs'), keys: slot('keys'), dests: slot('dests') })),
);

/**
 * Everything SendSms reads before deciding, for many calls in ONE statement (one snapshot,
 * one round trip): per call, whether the key was used, the settings in force (subaccount over
 * account over defaults), and the destination's blocked / opt-out / portability facts. Needs
 * the destination in E.164 already, so it serves numbers given with their country code
 * (national numbers take the longer path: their normalisation depends on the settings).
 */
export async function readChecksMany(db: Db, queries: CheckQuery[]): Promise<Checks[]> {
  const one = queries.length === 1 ? queries[0]! : undefined;
  const result = one
    ? await checkOne(db, { account: one.principal.accountId, sub: one.principal.subaccountId, key: one.idempotencyKey, dest: one.to })
    : await checkMany(db, queryColumns(queries));
  return result.rows.map((row, i) => {
    // json_agg gives the columns' snake_case names; the settings rows use drizzle's camelCase.
    const rows = (row.settings ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camelCase(k), v])) as SettingsRow);
    return {
      replay: row.replay,
      settings: effectiveSettings(rows, queries[i]!.principal.subaccountId).settings,
      facts: { blocked: row.blocked, optedOut: row.opted_out, portedTo: row.ported_to ?? undefined },
    };
  });
}

/** A column's name as drizzle spells it, worked out once per name rather than once per call. */
const camelNames = new Map<string, string>();
function camelCase(column: string): string {
  let name = camelNames.get(column);
  if (name === undefined) camelNames.set(column, (name = column.replace(/_(.)/g, (_, c: string) => c.toUpperCase())));
  return name;
}

/** Group reads for single sends: calls that arrive while earlier reads run share the next statement. */
export function checksReader(db: Db): ChecksPort {
  const batcher = new MicroBatcher<CheckQuery, Checks>((queries) => readChecksMany(db, queries), { maxBatch: 500, maxInFlight: 2 });
  return (query) => batcher.add(query);
}
