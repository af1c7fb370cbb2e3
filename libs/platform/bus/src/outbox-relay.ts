import { headers as natsHeaders } from '@nats-io/nats-core';
import { createHash } from 'node:crypto';
import { context, SpanKind, trace, type Link } from '@opentelemetry/api';
import type { OutboxTable } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Bus } from './connect';
import { BATCH_HEADER, chunkEvents, PACKED_HEADER, packEvents } from './envelope';
import { outboxChannel } from './outbox';
import { registerLocalRelay } from './local-relay';
import { contextFromRecord, currentTraceHeaders } from './trace-headers';

const tracer = trace.getTracer('@sabia/bus');
const BATCH = 2_000;
const POLL_MS = 1_000;
const LINGER_MS = 20;

interface Row {
  id: string;
  subject: string;
  payload: Buffer;
  headers: Record<string, string>;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * Publishes committed outbox rows to JetStream, then deletes them. Rows of one subject go out
 * together, up to a few hundred per NATS message (an EventBatch, see envelope.ts); each keeps
 * its row id as its event id and its own trace context.
 * One replica relays at a time (a session advisory lock on its listening connection; if that
 * connection dies, the lock is freed and another replica takes over). No transaction is held
 * across a publish: a crash between publish and delete only republishes, which JetStream's
 * duplicate window and the consumers' idempotence absorb.
 */
export async function startOutboxRelay(opts: {
  pool: pg.Pool;
  table: OutboxTable;
  bus: Bus;
  logger: Logger;
  /** How long it sleeps when nothing wakes it (tests lengthen it to see that wakes work). */
  pollMs?: number;
}): Promise<OutboxRelay> {
  const pollMs = opts.pollMs ?? POLL_MS;
  const { schema, name } = getTableConfig(opts.table);
  const qualified = `"${schema}"."${name}"`;
  const leaderLock = `sabia-outbox-relay:${schema}`;
  let running = true;
  let wake: (() => void) | undefined;
  // A wake during a pass is not kept for after it: under load the next commit wakes the relay
  // soon enough, and passing again at once made batches smaller downstream (bench:e2e, 5 % more
  // CPU per message in two pairs of runs). A commit with nothing after it waits for the poll.
  const wakeUp = () => wake?.();
  let leader = false;
  // Writers in this process wake the relay in memory while it leads: no NOTIFY for their commits.
  const unregister = registerLocalRelay(opts.table, { leads: () => leader && running, wake: wakeUp });

  const connectListener = async () => {
    const client = await opts.pool.connect();
    await client.query(`listen "${outboxChannel(opts.table)}"`);
    client.on('notification', wakeUp);
    return client;
  };
  let listener = await connectListener();
  const reconnect = async (): Promise<pg.PoolClient> => {
    for (;;) {
      try {
        return await connectListener();
      } catch (err) {
        opts.logger.warn({ err }, 'outbox relay: cannot reach Postgres yet');
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
  };

  const relayOnce = async (): Promise<number> => {
    if (!leader) {
      const { rows } = await listener.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [leaderLock]);
      leader = rows[0]!.ok;
      if (!leader) return 0;
    }
    const { rows } = await listener.query<Row>(
      `select id, subject, payload, headers from ${qualified} order by created_at, id limit ${BATCH}`,
    );
    if (rows.length === 0) return 0;
    await Promise.all(batchesOf(rows).map((batch) => publishBatch(opts.bus, batch)));
    await listener.query(`delete from ${qualified} where id = any($1::uuid[])`, [rows.map((r) => r.id)]);
    return rows.length;
  };

  const loop = (async () => {
    while (running) {
      let published = 0;
      try {
        published = await relayOnce();
      } catch (err) {
        opts.logger.warn({ err }, 'outbox relay: publish failed, will retry');
        // The connection may be the broken part: start again on a fresh one (and re-elect).
        listener.release(true);
        leader = false;
        listener = await reconnect();
      }
      if (published === BATCH || !running) continue;
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = undefined;
      // A commit woke us: give the commits right behind it a moment, so a steady stream of
      // single sends is relayed many rows per round trip instead of one or two. Each pass is a
      // read, a JetStream publish and a delete: at 500 SendSms a second, lingering 20 ms instead
      // of 5 took 0.2-0.4 ms of CPU off each call (sending, Postgres and NATS together), for
      // at most 15 ms more between a commit and its event.
      if (woken && running) await new Promise((resolve) => setTimeout(resolve, LINGER_MS));
    }
  })();

  return {
    async stop() {
      running = false;
      unregister();
      wake?.();
      await loop.catch(() => undefined);
      // The session (and its lock) would outlive release() in the pool: give both back.
      await listener.query('unlisten *; select pg_advisory_unlock_all()').catch(() => undefined);
      listener.release();
    },
  };
}

/** A row whose payload was packed into an EventBatch when it was written (outbox.ts). */
const isPacked = (row: Row) => Boolean(row.headers?.[PACKED_HEADER]);

/**
 * Rows grouped by subject, in outbox order within each, cut to the batch limits. A row packed
 * when it was written goes out as it is, between the rows of its subject that came before and
 * after it.
 */
function batchesOf(rows: Row[]): Row[][] {
  const bySubject = new Map<string, Row[][]>();
  for (const row of rows) {
    let units = bySubject.get(row.subject);
    if (!units) bySubject.set(row.subject, (units = [[]]));
    if (isPacked(row)) units.push([row], []);
    else units.at(-1)!.push(row);
  }
  return [...bySubject.values()].flatMap((units) =>
    units.flatMap((unit) => (unit.length === 1 && isPacked(unit[0]!) ? [unit] : chunkEvents(unit))),
  );
}

/**
 * One PRODUCER span per NATS message, linked to every event's trace; the consumer continues
 * each event's own trace. The message id names exactly the rows it carries (a digest of their
 * ids): a republish of the same rows after a crash is dropped by JetStream, while a batch that
 * differs by one row — a transaction that committed late, with an older created_at — is a new
 * message, never mistaken for a duplicate and deleted unpublished.
 */
async function publishBatch(bus: Bus, rows: Row[]): Promise<void> {
  const subject = bus.names.subject(rows[0]!.subject);
  const prepacked = rows.length === 1 && isPacked(rows[0]!) ? rows[0]! : undefined;
  const count = prepacked ? Number(prepacked.headers[PACKED_HEADER]) : rows.length;
  const msgID = prepacked ? prepacked.id : createHash('sha256').update(rows.map((r) => r.id).join(',')).digest('base64url');
  const span = tracer.startSpan(`publish ${rows[0]!.subject}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': msgID, 'messaging.batch.message_count': count },
  });
  // Links only on a span that is recorded: reading every event's trace headers is work (and
  // garbage) that a non-recording span would throw away.
  if (span.isRecording() && !prepacked) {
    const links: Link[] = [];
    for (const row of rows.slice(0, 128)) {
      const linked = trace.getSpanContext(contextFromRecord(row.headers ?? {}));
      if (linked) links.push({ context: linked });
    }
    span.addLinks(links);
  }
  try {
    const hdrs = natsHeaders();
    hdrs.set(BATCH_HEADER, String(count));
    for (const [key, value] of Object.entries(currentTraceHeaders(trace.setSpan(context.active(), span)))) hdrs.set(key, value);
    const payload = prepacked ? prepacked.payload : packEvents(rows.map((row) => ({ id: row.id, payload: row.payload, traceHeaders: row.headers ?? {} })));
    await bus.js.publish(subject, payload, { msgID, headers: hdrs });
  } catch (err) {
    span.recordException(err as Error);
    throw err;
  } finally {
    span.end();
  }
}
