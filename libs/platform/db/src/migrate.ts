import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

/**
 * Applies the service's drizzle-kit migrations at start. Several replicas may start at
 * once, so the work runs under a Postgres advisory lock keyed by the schema name; the
 * journal is one table per service in the `drizzle` schema.
 */
export async function migrateSchema(
  pool: pg.Pool,
  schema: string,
  migrationsFolder: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`sabia-migrate:${schema}`]);
    // The journal lives beside, not inside, the service schema: the first generated
    // migration creates that schema itself.
    await migrate(drizzle({ client }), {
      migrationsFolder,
      migrationsSchema: 'drizzle',
      migrationsTable: `${schema}_migrations`,
    });
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [`sabia-migrate:${schema}`]).catch(() => undefined);
    client.release();
  }
}
