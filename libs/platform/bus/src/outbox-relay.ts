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
 * Publishes committed outbox rows to JetStream with Nats-Msg-Id = row id, deleting them in
 * the same transaction that locked them. If the publish fails the transaction rolls back and
 * the rows wait for the next round; replicas share the work through SKIP LOCKED.
 */
export async function startOutboxRelay(opts: {
  pool: pg.Pool;
  table: OutboxTable;
  bus: Bus;
  logger: Logger;
}): Promise<OutboxRelay> {
  const { schema, name } = getTableConfig(opts.table);
  const qualified = `"${schema}"."${name}"`;
  let running = true;
  let wake: (() => void) | undefined;

  const listener = await opts.pool.connect();
  await listener.query(`listen "${outboxChannel(opts.table)}"`);
  listener.on('notification', () => wake?.());

  const publishBatch = async (): Promise<number> => {
    const client = await opts.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<Row>(
        `delete from ${qualified} where id in (
           select id from ${qualified} order by created_at, id limit ${BATCH} for update skip locked
         ) returning id, subject, payload, headers`,
      );
      rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      await Promise.all(rows.map((row) => publishRow(opts.bus, row)));
      await client.query('commit');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };

  const loop = (async () => {
    while (running) {
      let published = 0;
      try {
        published = await publishBatch();
      } catch (err) {
        opts.logger.warn({ err }, 'outbox relay: publish failed, will retry');
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
      await loop;
      await listener.query('unlisten *').catch(() => undefined);
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
