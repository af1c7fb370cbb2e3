import { connectDb, processedEventsTable, type Database } from '@sabia/db';
import { createTestDatabase, type TestDatabase } from '@sabia/testing';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOnce } from './apply-once';
import { PROCESSED_EVENTS_RETENTION_MS, pruneProcessedEvents } from './prune-processed-events';
import { STREAM_MAX_AGE_MS } from './setup';

const processed = processedEventsTable(pgSchema('prunetest'));
let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDb(testDb.url);
  await database.pool.query(`create schema prunetest;
    create table prunetest.processed_events (consumer text, event_id text, processed_at timestamptz not null default now(),
      primary key (consumer, event_id));
    create index on prunetest.processed_events using brin (processed_at);`);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

describe('pruning processed events', () => {
  it('keeps every record for longer than a stream keeps the event', () => {
    expect(PROCESSED_EVENTS_RETENTION_MS).toBeGreaterThan(STREAM_MAX_AGE_MS);
  });

  it('deletes the records older than the retention, in chunks, and keeps the rest deduplicating', async () => {
    // 25,000 old records (three chunks) and a recent one.
    await database.pool.query(`insert into prunetest.processed_events (consumer, event_id, processed_at)
      select 'c', 'old-' || i, now() - interval '9 days' from generate_series(1, 25000) i`);
    await database.pool.query(`insert into prunetest.processed_events (consumer, event_id, processed_at) values ('c', 'recent', now() - interval '6 days')`);
    expect(await pruneProcessedEvents(database.db, processed)).toBe(25_000);
    const { rows } = await database.pool.query(`select event_id from prunetest.processed_events`);
    expect(rows).toEqual([{ event_id: 'recent' }]);
    // The kept record still stops a redelivery from being applied twice.
    expect(await applyOnce(database.db, processed, 'c', 'recent')).toBe(false);
    expect(await pruneProcessedEvents(database.db, processed)).toBe(0);
  });
});
