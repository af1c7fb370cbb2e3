import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '@sabia/logger';
import type { Bus } from './connect';
import { ensureConsumer, type ConsumerSpec } from './setup';
import { contextFromNatsHeaders } from './trace-headers';

const tracer = trace.getTracer('@sabia/bus');

/** Thrown by a handler for a message that can never succeed (undecodable, impossible). */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

export interface IncomingEvent {
  /** Nats-Msg-Id: the outbox row id, stable across redeliveries and republishes. */
  id: string;
  subject: string;
  data: Uint8Array;
  deliveryCount: number;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

/** Redelivery delays by attempt: quick first, then backing off. */
const BACKOFF_MS = [250, 1_000, 5_000, 15_000, 60_000];

/**
 * Runs a durable pull consumer: extracts trace context, runs the handler in a CONSUMER span,
 * acks on success, naks with backoff on failure, and on the last attempt (or a poison
 * message) copies the message to the dead-letter stream before terminating it.
 */
export async function startConsumer(opts: {
  bus: Bus;
  spec: Omit<ConsumerSpec, 'maxDeliver' | 'ackWaitMs'> & Partial<ConsumerSpec>;
  concurrency?: number;
  logger: Logger;
  handle(event: IncomingEvent): Promise<void>;
}): Promise<ConsumerHandle> {
  // A short ack wait makes a crashed consumer's messages come back quickly; handlers that
  // run longer are kept alive by the heartbeat below.
  const spec: ConsumerSpec = { maxDeliver: 8, ackWaitMs: 10_000, ...opts.spec };
  await ensureConsumer(opts.bus, spec);
  const consumer = await opts.bus.js.consumers.get(
    opts.bus.names.stream(spec.domain),
    opts.bus.names.durable(spec.durable),
  );
  const limit = opts.concurrency ?? 16;
  const inFlight = new Set<Promise<void>>();
  const messages: ConsumerMessages = await consumer.consume({ max_messages: limit * 2 });

  const processOne = async (msg: JsMsg) => {
    const { id, parent, span } = startConsumeSpan(msg, spec);
    const heartbeat = setInterval(() => msg.working(), Math.max(1_000, spec.ackWaitMs / 3));
    try {
      await context.with(trace.setSpan(parent, span), () =>
        opts.handle({ id, subject: msg.subject, data: msg.data, deliveryCount: msg.info.deliveryCount }),
      );
      msg.ack();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      await failMessage(opts.bus, spec, opts.logger, msg, id, err as Error);
    } finally {
      clearInterval(heartbeat);
      span.end();
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      const task = processOne(msg).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
  })();

  return {
    async stop() {
      // Stop fetching, then let the handlers already running finish and ack.
      messages.stop();
      await loop.catch(() => undefined);
      await Promise.all(inFlight);
    },
  };
}

/**
 * The event's id (Nats-Msg-Id: the outbox row id) and its CONSUMER span, a child of the
 * producer's context carried in the message headers.
 */
export function startConsumeSpan(msg: JsMsg, spec: ConsumerSpec, attributes: Record<string, number> = {}) {
  const id = msg.headers?.get('Nats-Msg-Id') || `${msg.info.stream}:${msg.seq}`;
  const parent = contextFromNatsHeaders(msg.headers);
  const span = tracer.startSpan(`consume ${spec.subject}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': msg.subject,
      'messaging.message.id': id,
      'messaging.consumer.group.name': spec.durable,
      'sabia.delivery_count': msg.info.deliveryCount,
      ...attributes,
    },
  }, parent);
  return { id, parent, span };
}

/**
 * A handler failed on this message: nak it with backoff, or on its last attempt (or when it
 * is poison) copy it to the dead-letter stream and terminate it.
 */
export async function failMessage(bus: Bus, spec: ConsumerSpec, logger: Logger, msg: JsMsg, id: string, err: Error): Promise<void> {
  const last = err instanceof PoisonMessageError || msg.info.deliveryCount >= spec.maxDeliver;
  if (last) {
    logger.error({ err, eventId: id, subject: msg.subject }, 'event dead-lettered');
    await deadLetter(bus, spec.durable, msg, err).catch((dlqErr) => logger.error({ err: dlqErr }, 'dead-letter publish failed'));
    msg.term();
  } else {
    const delay = BACKOFF_MS[Math.min(msg.info.deliveryCount - 1, BACKOFF_MS.length - 1)]!;
    logger.warn({ err, eventId: id, attempt: msg.info.deliveryCount }, 'event failed, will retry');
    msg.nak(delay);
  }
}

async function deadLetter(bus: Bus, durable: string, msg: JsMsg, err: Error): Promise<void> {
  const hdrs = natsHeaders();
  for (const [key, values] of msg.headers ?? []) for (const value of values) hdrs.append(key, value);
  hdrs.set('Sabia-Original-Subject', msg.subject);
  hdrs.set('Sabia-Error', err.message.slice(0, 500));
  await bus.js.publish(bus.names.subject(`sabia.dlq.${durable}`), msg.data, { headers: hdrs });
}
