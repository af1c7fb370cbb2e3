import { createTestDatabase, type TestDatabase } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Database } from './connect';
import { executePrepared, preparedStatement } from './prepared';

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

const insert = (name: string, ids: string[], label: string) =>
  executePrepared<{ id: string }>(database.db, name, sql`
    insert into ${things} (id, label) select id, ${label} from unnest(${sql.param(ids)}::text[]) as t(id) returning id`);

describe('executePrepared', () => {
  it('binds each call’s own parameters to the text compiled once, on every pooled connection', async () => {
    // Concurrent calls: both pooled connections prepare it; past Postgres's first custom plans.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => insert('prep_insert', [`a${i}`, `b${i}`], `round ${i}`)));
    results.forEach(({ rows }, i) => expect(rows.map((r) => r.id)).toEqual([`a${i}`, `b${i}`]));
    const { rows } = await database.pool.query(`select label, count(*)::int as n from prep.things where label like 'round %' group by 1`);
    expect(rows).toHaveLength(12);
    expect(rows.every((r: { n: number }) => r.n === 2)).toBe(true);
  });

  it('refuses another text under a name already used, even one of the same length', async () => {
    await insert('prep_guarded', ['g1'], 'guarded');
    // Same parameters and the same number of characters; only an operator differs.
    const same = (op: '>=' | '<=') => executePrepared(database.db, 'prep_compare', sql`select count(*)::int as n from ${things} where id ${sql.raw(op)} ${'m'}`);
    await same('>=');
    await expect(same('<=')).rejects.toThrow(/differently shaped/);
    await expect(executePrepared(database.db, 'prep_guarded', sql`select ${'x'}::text as id`)).rejects.toThrow(/differently shaped/);
  });

  it('passes nulls, dates, numbers and nested fragments in drizzle’s order', async () => {
    const when = new Date('2026-12-07T10:00:00Z');
    const inner = sql`${'inner'}::text`;
    const run = (d: number) =>
      executePrepared<{ a: string | null; b: string; c: number; d: number }>(
        database.db,
        'prep_mixed',
        sql`select ${null}::text as a, ${inner} as b, extract(epoch from ${when}::timestamptz)::int as c, ${sql.param(d)}::int as d`,
      );
    expect((await run(7)).rows[0]).toEqual({ a: null, b: 'inner', c: when.getTime() / 1000, d: 7 });
    expect((await run(8)).rows[0]).toEqual({ a: null, b: 'inner', c: when.getTime() / 1000, d: 8 });
  });
});

describe('preparedStatement', () => {
  const insertNamed = preparedStatement<{ ids: string[]; label: string }, { id: string; label: string }>(
    'prep_named',
    (slot) => sql`insert into ${things} (id, label) select id, ${slot('label')}::text || ${'!'} from unnest(${slot('ids')}::text[]) as t(id) returning id, label`,
  );

  it('builds its text once and binds each call’s values by name beside its constants, on every pooled connection', async () => {
    let builds = 0;
    const count = preparedStatement<{ prefix: string }, { n: number }>('prep_count', (slot) => {
      builds++;
      return sql`select count(*)::int as n from ${things} where id like ${slot('prefix')} || '%'`;
    });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => insertNamed(database.db, { ids: [`n${i}a`, `n${i}b`], label: `named ${i}` })));
    results.forEach(({ rows }, i) => expect(rows).toEqual([{ id: `n${i}a`, label: `named ${i}!` }, { id: `n${i}b`, label: `named ${i}!` }]));
    expect((await count(database.db, { prefix: 'n1' })).rows[0]!.n).toBe(6); // n1a, n1b, n10a, n10b, n11a, n11b
    expect((await count(database.db, { prefix: 'n2' })).rows[0]!.n).toBe(2);
    expect(builds).toBe(1);
  });

  it('refuses a call that lacks a value, and writes nothing', async () => {
    await expect(insertNamed(database.db, { ids: ['lost'] } as unknown as { ids: string[]; label: string })).rejects.toThrow(/no value for label/);
    const { rows } = await database.pool.query(`select id from prep.things where id = 'lost'`);
    expect(rows).toEqual([]);
  });

  it('reads values through picks from the objects a call hands over, beside named ones', async () => {
    interface Thing {
      id: string;
      label: string | null;
    }
    const insertThing = preparedStatement<{ thing: Thing; suffix: string }, { id: string; label: string }>(
      'prep_picked',
      (slot) => sql`insert into ${things} (id, label) values (${slot((v) => v.thing.id)}, ${slot((v) => v.thing.label ?? 'unnamed')} || ${slot('suffix')}) returning id, label`,
    );
    const { rows } = await insertThing(database.db, { thing: { id: 'p1', label: 'first' }, suffix: '?' });
    expect(rows).toEqual([{ id: 'p1', label: 'first?' }]);
    expect((await insertThing(database.db, { thing: { id: 'p2', label: null }, suffix: '' })).rows).toEqual([{ id: 'p2', label: 'unnamed' }]);
    const lacking = { thing: { label: 'x' }, suffix: '' } as unknown as { thing: Thing; suffix: string };
    await expect(insertThing(database.db, lacking)).rejects.toThrow(/no value for parameter \$1/);
    expect((await database.pool.query(`select id from prep.things where label = 'x'`)).rows).toEqual([]);
  });
});
