import type { Db } from '@sabia/db';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** A parameter as SQL literal text (EXPLAIN EXECUTE takes no bound parameters). */
function literal(value: unknown): string {
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) {
    const element = (e: unknown) => (e === null || e === undefined ? 'NULL' : `"${String(e).replace(/["\\]/g, (c) => `\\${c}`)}"`);
    return quote(`{${value.map(element).join(',')}}`);
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return quote(String(value));
}

/**
 * The plan Postgres would run this statement with as a prepared statement: `custom` (planned for
 * these values) or `generic` (for any values, which it switches to after five runs when that
 * looks no dearer). For tests that pin a hot statement's plan: a generic plan is where a
 * partial index or a hashed subplan sneaks in.
 */
export async function preparedPlan(db: Db, query: SQL, mode: 'custom' | 'generic'): Promise<string> {
  const { sql: text, params } = new PgDialect().sqlToQuery(query);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local plan_cache_mode = force_${mode}_plan`));
    await tx.execute(sql.raw(`prepare plan_under_test as ${text}`));
    const { rows } = await tx.execute<{ 'QUERY PLAN': string }>(sql.raw(`explain execute plan_under_test(${params.map(literal).join(', ')})`));
    await tx.execute(sql.raw('deallocate plan_under_test'));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
