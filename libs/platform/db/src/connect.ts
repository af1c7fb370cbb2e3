import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Db = NodePgDatabase<Record<string, never>>;
/** A query runner: the database or an open transaction. Query functions take this first. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

// pg returns int8 as string by default; money and counts are bigint end to end.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => BigInt(value));

export function connectDb(url: string, options: { max?: number; appName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.appName,
    // A stuck connection attempt should fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    // No JIT: our statements are short, and a fast-growing table's stale statistics can make
    // one look expensive enough to compile, which then costs more than running it (seen: a
    // few-millisecond update compiled for half a second).
    // random_page_cost 1.1 (the default 4 models spinning disks): our hot tables live in
    // memory or on SSD, and at 4 the planner joined a batch of a hundred ids to a table of
    // thousands by reading all of it rather than probing its primary key a hundred times.
    options: '-c jit=off -c random_page_cost=1.1',
  });
  // An idle client that dies (server restart) emits here; without a listener it crashes the process.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool }) as Db;
  return { pool, db, close: () => pool.end() };
}
