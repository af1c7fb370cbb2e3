import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Db } from './connect';

const dialect = new PgDialect();
const texts = new Map<string, string>();

/**
 * Runs a hot statement as a named prepared statement: Postgres parses and plans it once per
 * connection instead of on every call. For the single-send path's statements, whose batches
 * are small, planning cost as much as running them (pg_stat_statements with track_planning).
 * The text must be the same on every call (arrays through unnest, never a parameter per row);
 * a statement whose text changed under the same name is a programming error and throws.
 */
export async function executePrepared<R extends pg.QueryResultRow>(db: Db, name: string, query: SQL): Promise<pg.QueryResult<R>> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const known = texts.get(name);
  if (known === undefined) texts.set(name, text);
  else if (known !== text) throw new Error(`prepared statement ${name} was given a different text; name each shape of statement apart`);
  return (db as Db & { $client: pg.Pool }).$client.query<R>({ name, text, values: params });
}
