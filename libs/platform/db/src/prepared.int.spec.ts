import { createTestDatabase, type TestDatabase } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Database } from './connect';
import { executePrepared } from './prepared';

const things = pgSchema('prep').table('things', { id: text('id').primaryKey(), label: text('label').notNull() });
let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDb(testDb.url, { max: 2 });
  await database.pool.query(`create schema prep; create table prep.things (id text primary key, label text not null)`);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

const insert = (ids: string[], label: string) =>
  executePrepared<{ id: string }>(database.db, 'prep_insert', sql`
    insert into ${things} (id, label) select id, ${label} from unnest(${sql.param(ids)}::text[]) as t(id) returning id`);

describe('executePrepared', () => {
  it('binds each call’s own parameters to the text compiled once', async () => {
    // Enough calls to run on both pooled connections, past Postgres's first custom plans.
    for (let i = 0; i < 12; i++) {
      const { rows } = await insert([`a${i}`, `b${i}`], `round ${i}`);
      expect(rows.map((r) => r.id)).toEqual([`a${i}`, `b${i}`]);
    }
    const { rows } = await database.pool.query(`select label, count(*)::int as n from prep.things group by 1 order by 1`);
    expect(rows).toHaveLength(12);
    expect(rows.every((r: { n: number }) => r.n === 2)).toBe(true);
    const named = await database.pool.query(`select name from pg_prepared_statements where name = 'prep_insert'`);
    expect(named.rows).toHaveLength(1); // the connection this query ran on prepared it once
  });

  it('refuses a differently shaped statement under a name already used', async () => {
    const other = executePrepared(database.db, 'prep_insert', sql`select ${'x'}::text as id, ${'y'}::text as label`);
    await expect(other).rejects.toThrow(/differently shaped/);
  });

  it('passes nulls, dates and nested fragments in drizzle’s order', async () => {
    const when = new Date('2026-12-07T10:00:00Z');
    const inner = sql`${'inner'}::text`;
    const { rows } = await executePrepared<{ a: string | null; b: string; c: number; d: number }>(
      database.db,
      'prep_mixed',
      sql`select ${null}::text as a, ${inner} as b, extract(epoch from ${when.toISOString()}::timestamptz)::int as c, ${sql.param(7)}::int as d`,
    );
    expect(rows[0]).toEqual({ a: null, b: 'inner', c: when.getTime() / 1000, d: 7 });
  });
});
