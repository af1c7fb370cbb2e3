import { connectDb, outboxTable, processedEventsTable, type Database } from '@sabia/db';
import { createLogger } from '@sabia/logger';
import { createTestDatabase, dropNamespace, testEnv, testNamespace, waitFor, type TestDatabase } from '@sabia/testing';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES } from './envelope';
import { applyOnce, applyOnceMany, connectBus, enqueueEvents, ensureStreams, leadingLocalRelay, PoisonMessageError, startBatchConsumer, startConsumer, startOutboxRelay, type Bus, type IncomingEvent } from './index';

// A throwaway schema with the platform tables, created the way services create theirs.
const schema = pgSchema('bustest');
const outbox = outboxTable(schema);
const processed = processedEventsTable(schema);
const logger = createLogger('bus-test', 'silent');
const SUBJECT = 'sabia.sending.bus-test.v1';

let testDb: TestDatabase;
let database: Database;
let bus: Bus;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDb(testDb.url);
  await database.pool.query(`create schema bustest;
    create table bustest.outbox (id uuid primary key, subject text not null, payload bytea not null,
      headers jsonb not null default '{}', created_at timestamptz not null default now());
    create table bustest.processed_events (consumer text, event_id text, processed_at timestamptz default now(),
      primary key (consumer, event_id));`);
  bus = await connectBus(testEnv.NATS_URL, 'bus-test', testNamespace());
  await ensureStreams(bus);
});

afterAll(async () => {
  await bus.close();
  await dropNamespace(testEnv.NATS_URL, bus.names.namespace);
  await database.close();
  await testDb.drop();
});

const collect = async (durable: string, handle: (e: IncomingEvent) => Promise<void> = async () => undefined) => {
  const seen: IncomingEvent[] = [];
  const consumer = await startConsumer({
    bus,
    logger,
    spec: { domain: 'sending', durable, subject: SUBJECT, maxDeliver: 3, ackWaitMs: 2_000 },
    handle: async (e) => {
      seen.push(e);
      await handle(e);
    },
  });
  return { seen, consumer };
};

describe('outbox and consumers on real Postgres and NATS', () => {
  it('publishes events committed while no relay ran (a crash after commit), each with the id enqueueEvents gave it', async () => {
    const ids = await database.db.transaction((tx) =>
      enqueueEvents(tx, outbox, [1, 2, 3].map((n) => ({ subject: SUBJECT, payload: Uint8Array.of(n) }))),
    );
    // Rolled back: must never be published.
    await database.db
      .transaction(async (tx) => {
        await enqueueEvents(tx, outbox, [{ subject: SUBJECT, payload: Uint8Array.of(99) }]);
        throw new Error('rollback');
      })
      .catch(() => undefined);

    const { seen, consumer } = await collect('bus-test-relay');
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
    await waitFor(async () => (seen.length >= 3 ? true : undefined), 'three events');
    await new Promise((r) => setTimeout(r, 300));
    await relay.stop();
    await consumer.stop();
    expect(seen.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(seen.map((e) => e.data[0]).sort()).toEqual([1, 2, 3]);
    const { rows } = await database.pool.query('select count(*)::int as n from bustest.outbox');
    expect(rows[0].n).toBe(0);
  });

  it('lets one relay publish at a time: two replicas publish every event once', async () => {
    const { seen, consumer } = await collect('bus-test-two-relays');
    const before = seen.length;
    const relays = await Promise.all([1, 2].map(() => startOutboxRelay({ pool: database.pool, table: outbox, bus, logger })));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(...(await database.db.transaction((tx) =>
        enqueueEvents(tx, outbox, Array.from({ length: 50 }, () => ({ subject: SUBJECT, payload: Uint8Array.of(i) }))),
      )));
    }
    await waitFor(async () => (seen.filter((e) => ids.includes(e.id)).length >= ids.length ? true : undefined), 'all 500 events');
    await relays[0]!.stop(); // the other takes over what comes next
    const late = await database.db.transaction((tx) => enqueueEvents(tx, outbox, [{ subject: SUBJECT, payload: Uint8Array.of(77) }]));
    await waitFor(async () => (seen.some((e) => e.id === late[0]) ? true : undefined), 'the event after a failover');
    await relays[1]!.stop();
    await consumer.stop();
    const mine = seen.slice(before).filter((e) => ids.includes(e.id) || e.id === late[0]);
    expect(mine).toHaveLength(501);
    expect(new Set(mine.map((e) => e.id)).size).toBe(501);
  });

  it('is woken in memory by a writer of its process while it leads, and by NOTIFY otherwise', async () => {
    const { seen, consumer } = await collect('bus-test-local-wake');
    expect(leadingLocalRelay(outbox)).toBeUndefined(); // no relay here: writers must NOTIFY
    // A poll far beyond the test's patience: only a wake can get these events out in time.
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger, pollMs: 600_000 });
    const local = await waitFor(async () => leadingLocalRelay(outbox), 'the relay to lead');
    const listener = await database.pool.connect();
    let notified = 0;
    listener.on('notification', () => notified++);
    await listener.query('listen bustest_outbox');
    // Committed without a NOTIFY (as storeMany does while a relay of its process leads), then woken.
    const id = '01890a5d-ac96-774b-bcce-b302099a8057';
    await database.pool.query(`insert into bustest.outbox (id, subject, payload) values ($1, $2, '\\x2a')`, [id, SUBJECT]);
    local.wake();
    await waitFor(async () => (seen.some((e) => e.id === id) ? true : undefined), 'the event woken in memory', 10_000);
    // A commit that NOTIFYs (another replica's) wakes it too.
    const [other] = await database.db.transaction((tx) => enqueueEvents(tx, outbox, [{ subject: SUBJECT, payload: Uint8Array.of(7) }]));
    await waitFor(async () => (seen.some((e) => e.id === other) ? true : undefined), 'the event woken by NOTIFY', 10_000);
    expect(notified).toBe(1);
    await relay.stop();
    expect(leadingLocalRelay(outbox)).toBeUndefined();
    await listener.query('unlisten *');
    listener.release();
    await consumer.stop();
  });

  it('drops a republished event with the same id (JetStream duplicate window)', async () => {
    const subject = bus.names.subject(SUBJECT);
    const first = await bus.js.publish(subject, Uint8Array.of(7), { msgID: 'dup-1' });
    const second = await bus.js.publish(subject, Uint8Array.of(7), { msgID: 'dup-1' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
  });

  it('applies an event redelivered after a lost ack exactly once', async () => {
    let effects = 0;
    let firstAttempt = true;
    const { seen, consumer } = await collect('bus-test-once', async (event) => {
      if (event.id !== 'once-1') return; // earlier tests' events share the subject
      await database.db.transaction(async (tx) => {
        if (await applyOnce(tx, processed, 'bus-test-once', event.id)) effects++;
      });
      // The effect committed but the ack is "lost": the handler fails, so NATS redelivers.
      if (firstAttempt) {
        firstAttempt = false;
        throw new Error('crash before ack');
      }
    });
    await bus.js.publish(bus.names.subject(SUBJECT), Uint8Array.of(1), { msgID: 'once-1' });
    await waitFor(async () => (seen.filter((e) => e.id === 'once-1').length >= 2 ? true : undefined), 'the redelivery');
    await consumer.stop();
    expect(effects).toBe(1);
  });

  it('dead-letters a poison message instead of retrying it forever', async () => {
    const dlq = await bus.jsm.streams.info(bus.names.stream('dlq'));
    const before = dlq.state.messages;
    const { seen, consumer } = await collect('bus-test-poison', async (e) => {
      if (e.id === 'poison-1') throw new PoisonMessageError('cannot decode'); // earlier tests' events are fine
    });
    await bus.js.publish(bus.names.subject(SUBJECT), Uint8Array.of(0), { msgID: 'poison-1' });
    await waitFor(async () => {
      const info = await bus.jsm.streams.info(bus.names.stream('dlq'));
      return info.state.messages > before ? true : undefined;
    }, 'the dead letter');
    await consumer.stop();
    expect(seen.filter((e) => e.id === 'poison-1')).toHaveLength(1);
    const msg = await bus.jsm.streams.getMessage(bus.names.stream('dlq'), { last_by_subj: bus.names.subject('sabia.dlq.bus-test-poison') });
    expect(msg?.header.get('Sabia-Error')).toBe('cannot decode');
  });

  it('hands events over in batches, retries only the one that failed, and applies each once', async () => {
    const subject = 'sabia.sending.bus-batch.v1';
    const sizes: number[] = [];
    const applied: string[] = [];
    let failedOnce = false;
    const consumer = await startBatchConsumer({
      bus,
      logger,
      maxBatch: 50,
      maxWaitMs: 20,
      spec: { domain: 'sending', durable: 'bus-test-batch', subject, maxDeliver: 3, ackWaitMs: 2_000 },
      handleBatch: async (events) => {
        sizes.push(events.length);
        // A handler leaves the events it cannot handle out of the batch's transaction.
        const failing = events.filter((e) => e.id === 'b-7' && !failedOnce);
        if (failing.length) failedOnce = true;
        const ok = events.filter((e) => !failing.includes(e));
        const fresh = await database.db.transaction((tx) => applyOnceMany(tx, processed, 'bus-test-batch', ok.map((e) => e.id)));
        applied.push(...ok.filter((e) => fresh.has(e.id)).map((e) => e.id));
        return events.map((e) => (failing.includes(e) ? new Error('this one fails the first time') : 'ok'));
      },
    });
    await Promise.all(Array.from({ length: 200 }, (_, i) => bus.js.publish(bus.names.subject(subject), Uint8Array.of(i % 256), { msgID: `b-${i}` })));
    await waitFor(async () => (sizes.reduce((a, b) => a + b, 0) >= 201 ? true : undefined), 'every event and the retry');
    await consumer.stop();
    expect(new Set(applied).size).toBe(200);
    expect(applied).toHaveLength(200);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  });

  it('packs a burst of events into a few NATS messages; each event keeps its id, and one failing event is retried without re-applying its neighbours', async () => {
    const subject = 'sabia.sending.bus-packed.v1';
    const stream = bus.names.stream('sending');
    const before = (await bus.jsm.streams.info(stream)).state.messages;
    const ids = await database.db.transaction((tx) =>
      enqueueEvents(tx, outbox, Array.from({ length: 600 }, (_, i) => ({ subject, payload: Uint8Array.of(i % 256) }))),
    );
    const applied: string[] = [];
    const poisoned = ids[450]!;
    const flaky = ids[10]!;
    let flakyFailed = false;
    const consumer = await startBatchConsumer({
      bus,
      logger,
      maxBatch: 100,
      spec: { domain: 'sending', durable: 'bus-test-packed', subject, maxDeliver: 3, ackWaitMs: 2_000 },
      handleBatch: async (events) => {
        const results = events.map((e): Error | 'ok' => {
          if (e.id === poisoned) return new PoisonMessageError('this one can never work');
          if (e.id === flaky && !flakyFailed) return (flakyFailed = true), new Error('fails once');
          return 'ok';
        });
        const ok = events.filter((_, i) => results[i] === 'ok').map((e) => e.id);
        const fresh = await database.db.transaction((tx) => applyOnceMany(tx, processed, 'bus-test-packed', ok));
        applied.push(...ok.filter((id) => fresh.has(id)));
        return results;
      },
    });
    const dlqBefore = (await bus.jsm.streams.info(bus.names.stream('dlq'))).state.messages;
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
    await waitFor(async () => (applied.length >= 599 ? true : undefined), 'every event but the poisoned one');
    await waitFor(async () => ((await bus.jsm.streams.info(bus.names.stream('dlq'))).state.messages > dlqBefore ? true : undefined), 'the dead letter');
    await relay.stop();
    await consumer.stop();

    expect(new Set(applied).size).toBe(599);
    expect(applied).toHaveLength(599);
    expect(applied).not.toContain(poisoned);
    // 600 events in 3 messages (256 + 256 + 88), not 600.
    expect((await bus.jsm.streams.info(stream)).state.messages - before).toBe(3);
    const dead = await bus.jsm.streams.getMessage(bus.names.stream('dlq'), { last_by_subj: bus.names.subject('sabia.dlq.bus-test-packed') });
    expect(dead?.header.get('Sabia-Failed-Events')).toBe(poisoned);
    expect(dead?.header.get('Sabia-Error')).toBe('this one can never work');
  });

  it('delivers every payload byte for byte, packed or alone, whatever its length or content', async () => {
    const subject = 'sabia.sending.bus-bytes.v1';
    // Lengths from 0 up, bytes covering 0x00–0xff (quotes, backslashes, NULs included).
    const payloads = Array.from({ length: 300 }, (_, i) => Uint8Array.from({ length: (i * 37) % 700 }, (_, k) => (i * 31 + k * 7) % 256));
    const packedIds = await database.db.transaction((tx) => enqueueEvents(tx, outbox, payloads.map((payload) => ({ subject, payload }))));
    const [aloneId] = await database.db.transaction((tx) => enqueueEvents(tx, outbox, [{ subject, payload: payloads[299]! }]));
    const received = new Map<string, Uint8Array>();
    const consumer = await startBatchConsumer({
      bus,
      logger,
      maxBatch: 100,
      spec: { domain: 'sending', durable: 'bus-test-bytes', subject, maxDeliver: 3, ackWaitMs: 2_000 },
      handleBatch: async (events) => events.map((e) => (received.set(e.id, Uint8Array.from(e.data)), 'ok' as const)),
    });
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
    await waitFor(async () => (received.size >= 301 ? true : undefined), 'all 301 events');
    await relay.stop();
    await consumer.stop();

    packedIds.forEach((id, i) => expect(received.get(id), `event ${i}`).toEqual(payloads[i]));
    expect(received.get(aloneId!)).toEqual(payloads[299]);
  });

  it('one at a time too: a failing event of a batch is retried, a poison one dead-lettered alone, and the rest handled once', async () => {
    const subject = 'sabia.sending.bus-single.v1';
    const ids = await database.db.transaction((tx) => enqueueEvents(tx, outbox, Array.from({ length: 10 }, (_, i) => ({ subject, payload: Uint8Array.of(i) }))));
    const [flaky, poisoned] = [ids[3]!, ids[6]!];
    const applied: string[] = [];
    let flakyFailed = false;
    const consumer = await startConsumer({
      bus,
      logger,
      spec: { domain: 'sending', durable: 'bus-test-single', subject, maxDeliver: 3, ackWaitMs: 2_000 },
      handle: async (e) => {
        if (e.id === poisoned) throw new PoisonMessageError('never');
        if (e.id === flaky && !flakyFailed) {
          flakyFailed = true;
          throw new Error('once');
        }
        if (await database.db.transaction((tx) => applyOnce(tx, processed, 'bus-test-single', e.id))) applied.push(e.id);
      },
    });
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
    await waitFor(async () => (applied.length >= 9 ? true : undefined), 'every event but the poisoned one');
    await relay.stop();
    await consumer.stop();
    expect([...applied].sort()).toEqual(ids.filter((id) => id !== poisoned).sort());
    const dead = await bus.jsm.streams.getMessage(bus.names.stream('dlq'), { last_by_subj: bus.names.subject('sabia.dlq.bus-test-single') });
    expect(dead?.header.get('Sabia-Failed-Events')).toBe(poisoned);
  });

  it('keeps a backlog longer than the ack wait alive: a slow consumer sees each event once, first time', async () => {
    const subject = 'sabia.sending.bus-slow.v1';
    const ids = await database.db.transaction((tx) => enqueueEvents(tx, outbox, Array.from({ length: 2048 }, (_, i) => ({ subject, payload: Uint8Array.of(i % 256) }))));
    const seenCount = new Map<string, number>();
    let redelivered = 0;
    const consumer = await startBatchConsumer({
      bus,
      logger,
      maxBatch: 64,
      concurrency: 1,
      spec: { domain: 'sending', durable: 'bus-test-slow', subject, maxDeliver: 3, ackWaitMs: 2_000 },
      handleBatch: async (events) => {
        await new Promise((r) => setTimeout(r, 100)); // 32 batches: 3 s of work, past the 2 s ack wait
        for (const e of events) {
          seenCount.set(e.id, (seenCount.get(e.id) ?? 0) + 1);
          if (e.deliveryCount > 1) redelivered++;
        }
        return events.map(() => 'ok' as const);
      },
    });
    const relay = await startOutboxRelay({ pool: database.pool, table: outbox, bus, logger });
    await waitFor(async () => (ids.every((id) => seenCount.has(id)) ? true : undefined), 'every event', 20_000);
    await relay.stop();
    await consumer.stop();
    expect(redelivered).toBe(0);
    expect([...seenCount.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps pulling when messages are large: a backlog of near-limit batches is taken without waiting for a pull to expire', async () => {
    // A pull sized in bytes ends with "409 Message Size Exceeds MaxBytes" when the next message
    // does not fit what is left of it, and nats.js then issues no new pull until two idle
    // heartbeats are missed (30 s): receipts stood still that long in bench:e2e.
    const subject = 'sabia.sending.bus-large.v1';
    const big = (i: number) => new Uint8Array(MAX_BATCH_BYTES - 64 * 1024).fill(i);
    const seen: string[] = [];
    const consumer = await startBatchConsumer({
      bus,
      logger,
      spec: { domain: 'sending', durable: 'bus-test-large', subject, maxDeliver: 3, ackWaitMs: 5_000 },
      handleBatch: async (events) => (seen.push(...events.map((e) => e.id)), events.map(() => 'ok' as const)),
    });
    for (let i = 0; i < 12; i++) await bus.js.publish(bus.names.subject(subject), big(i), { msgID: `large-${i}` });
    await waitFor(async () => (seen.length >= 12 ? true : undefined), 'all twelve large messages', 10_000);
    await consumer.stop();
    expect(new Set(seen).size).toBe(12);
  });
});
