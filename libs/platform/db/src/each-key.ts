import { sql, type SQL } from 'drizzle-orm';

/**
 * `<keys> cross join lateral (<lookup> offset 0) as <alias>`: a lookup run once per key, each
 * an index probe whatever the table's statistics say.
 *
 * Why not `where col = any($keys)` or a join: on a table that grew since its last ANALYZE
 * (every hot table in the first minute after a deploy, before autovacuum's first round) the
 * planner guesses each key matches a share of the table, so 100 keys "match" half of it and
 * it reads all of it, a sequential scan per batch that grows with the table. A lateral
 * subquery fenced by `offset 0` is not flattened into a join, so it must run per key, and a
 * per-key scan is always planned on the index.
 *
 * `keys` names the key columns, e.g. sql`unnest(${sql.param(ids)}::uuid[]) as k(id)`;
 * `lookup` refers to them (`where message_id = k.id`).
 */
export function eachKey(keys: SQL, lookup: SQL, alias: string): SQL {
  return sql`${keys} cross join lateral (${lookup} offset 0) as ${sql.raw(alias)}`;
}
