import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

// One lock for every service: concurrent `create schema if not exists drizzle` from two
// services can still collide in pg_namespace, and migrations are short.
const MIGRATION_LOCK = 'sabia-migrate';

/**
 * Applies the service's drizzle-kit migrations at start. Several replicas may start at
 * once, so the work runs under a Postgres advisory lock; the
 * journal is one table per service in the `drizzle` schema.
 */
export async function migrateSchema(
  pool: pg.Pool,
  schema: string,
  migrationsFolder: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    // The journal lives beside, not inside, the service schema: the first generated
    // migration creates that schema itself.
    await migrate(drizzle({ client }), {
      migrationsFolder,
      migrationsSchema: 'drizzle',
      migrationsTable: `${schema}_migrations`,
    });
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
