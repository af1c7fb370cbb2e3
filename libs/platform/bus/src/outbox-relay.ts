import { headers as natsHeaders } from '@nats-io/nats-core';
import { SpanKind, trace } from '@opentelemetry/api';
import type { OutboxTable } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Bus } from './connect';
import { outboxChannel } from './outbox';
import { contextFromRecord, currentTraceHeaders } from './trace-headers';

const tracer = trace.getTracer('@sabia/bus');
const BATCH = 500;
const POLL_MS = 1_000;

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
 * Publishes committed outbox rows to JetStream with Nats-Msg-Id = row id, then deletes them.
 * One replica relays at a time (a session advisory lock on its listening connection; if that
 * connection dies, the lock is freed and another replica takes over). No transaction is held
 * across a publish: a crash between publish and delete only republishes, which JetStream's
 * duplicate window and the consumers' applyOnce absorb.
 */
export async function startOutboxRelay(opts: {
  pool: pg.Pool;
  table: OutboxTable;
  bus: Bus;
  logger: Logger;
}): Promise<OutboxRelay> {
  const { schema, name } = getTableConfig(opts.table);
  const qualified = `"${schema}"."${name}"`;
  const leaderLock = `sabia-outbox-relay:${schema}`;
  let running = true;
  let wake: (() => void) | undefined;
  let leader = false;

  const connectListener = async () => {
    const client = await opts.pool.connect();
    await client.query(`listen "${outboxChannel(opts.table)}"`);
    client.on('notification', () => wake?.());
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

  const publishBatch = async (): Promise<number> => {
    if (!leader) {
      const { rows } = await listener.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [leaderLock]);
      leader = rows[0]!.ok;
      if (!leader) return 0;
    }
    const { rows } = await listener.query<Row>(
      `select id, subject, payload, headers from ${qualified} order by created_at, id limit ${BATCH}`,
    );
    if (rows.length === 0) return 0;
    await Promise.all(rows.map((row) => publishRow(opts.bus, row)));
    await listener.query(`delete from ${qualified} where id = any($1::uuid[])`, [rows.map((r) => r.id)]);
    return rows.length;
  };

  const loop = (async () => {
    while (running) {
      let published = 0;
      try {
        published = await publishBatch();
      } catch (err) {
        opts.logger.warn({ err }, 'outbox relay: publish failed, will retry');
        // The connection may be the broken part: start again on a fresh one (and re-elect).
        listener.release(true);
        leader = false;
        listener = await reconnect();
      }
      if (published === BATCH || !running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop.catch(() => undefined);
      // The session (and its lock) would outlive release() in the pool: give both back.
      await listener.query('unlisten *; select pg_advisory_unlock_all()').catch(() => undefined);
      listener.release();
    },
  };
}

async function publishRow(bus: Bus, row: Row): Promise<void> {
  const subject = bus.names.subject(row.subject);
  const parent = contextFromRecord(row.headers ?? {});
  const span = tracer.startSpan(`publish ${row.subject}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': row.id },
  }, parent);
  try {
    const hdrs = natsHeaders();
    for (const [key, value] of Object.entries(currentTraceHeaders(trace.setSpan(parent, span)))) hdrs.set(key, value);
    await bus.js.publish(subject, row.payload, { msgID: row.id, headers: hdrs });
  } catch (err) {
    span.recordException(err as Error);
    throw err;
  } finally {
    span.end();
  }
}
