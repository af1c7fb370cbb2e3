import { AckPolicy, DeliverPolicy, StorageType, type ConsumerConfig, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { Bus } from './connect';
import { DOMAINS } from './subjects';

/** How long JetStream remembers a Nats-Msg-Id: a republish after a crash inside it is dropped. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** How long a stream keeps an event: none older can be delivered, or redelivered, again. */
export const STREAM_MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Creates or updates every domain stream. Idempotent: safe at every boot of every replica.
 * File storage so an accepted event survives a broker restart.
 */
export async function ensureStreams(bus: Bus): Promise<void> {
  for (const domain of DOMAINS) {
    const config: Partial<StreamConfig> & { name: string } = {
      name: bus.names.stream(domain),
      subjects: [bus.names.subject(`sabia.${domain}.>`)],
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(STREAM_MAX_AGE_MS),
    };
    try {
      await bus.jsm.streams.info(config.name);
      await bus.jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await bus.jsm.streams.add(config);
    }
  }
}

export interface ConsumerSpec {
  domain: (typeof DOMAINS)[number];
  durable: string;
  subject: string;
  maxDeliver: number;
  ackWaitMs: number;
  /**
   * NATS messages delivered and not yet settled, at most (the server holds the rest back).
   * Consumers take every delivered message at once and keep it alive until settled, so this
   * is what bounds their memory — and no delivered message waits unseen while its ack wait
   * runs out (a throttled dispatcher would otherwise see its backlog redelivered).
   */
  maxAckPending?: number;
}

/** Packed messages carry up to 256 events each: 64 of them are minutes of work for a slow consumer. */
const MAX_ACK_PENDING = 64;

/** Creates or updates a durable pull consumer with explicit acks. */
export async function ensureConsumer(bus: Bus, spec: ConsumerSpec): Promise<void> {
  const stream = bus.names.stream(spec.domain);
  const config: Partial<ConsumerConfig> = {
    durable_name: bus.names.durable(spec.durable),
    filter_subject: bus.names.subject(spec.subject),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending ?? MAX_ACK_PENDING,
  };
  try {
    await bus.jsm.consumers.info(stream, config.durable_name!);
    await bus.jsm.consumers.update(stream, config.durable_name!, {
      max_deliver: config.max_deliver,
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await bus.jsm.consumers.add(stream, config);
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && /not found/i.test(err.message);
}
