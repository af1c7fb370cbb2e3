import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Logger } from '@sabia/logger';
import type { Bus } from './connect';
import { unpackEvents, type UnpackedEvent } from './envelope';
import { PoisonMessageError } from './poison';
import { ensureConsumer, type ConsumerSpec } from './setup';

export { PoisonMessageError } from './poison';

const tracer = trace.getTracer('@sabia/bus');

export interface IncomingEvent {
  /** The outbox row id (Nats-Msg-Id of an event published alone): stable across redeliveries and republishes. */
  id: string;
  subject: string;
  data: Uint8Array;
  /** Deliveries of the NATS message that carried the event (a batch counts for all its events). */
  deliveryCount: number;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

/** Redelivery delays by attempt: quick first, then backing off. */
const BACKOFF_MS = [250, 1_000, 5_000, 15_000, 60_000];

/**
 * Runs a durable pull consumer: unpacks each delivery's events (a batch from the outbox relay,
 * or one event published alone), runs the handler for each, in order, in its own CONSUMER span
 * that continues the event's trace, acks the delivery when all succeeded, naks it with backoff
 * when one failed (the ones before it are applied once, by the handler's applyOnce), and on
 * the last attempt (or a poison message) copies it to the dead-letter stream and terminates it.
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

  const handleEvent = async (msg: JsMsg, event: UnpackedEvent) => {
    const span = startEventSpan(msg, event, spec);
    try {
      await context.with(trace.setSpan(event.parent, span), () =>
        opts.handle({ id: event.id, subject: msg.subject, data: event.data, deliveryCount: msg.info.deliveryCount }),
      );
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  };

  const processOne = async (msg: JsMsg) => {
    const heartbeat = setInterval(() => msg.working(), Math.max(1_000, spec.ackWaitMs / 3));
    let current = '';
    try {
      for (const event of unpackEvents(msg)) {
        current = event.id;
        await handleEvent(msg, event);
      }
      msg.ack();
    } catch (err) {
      await failMessage(opts.bus, spec, opts.logger, msg, current ? [current] : [], err as Error);
    } finally {
      clearInterval(heartbeat);
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

/** An event's CONSUMER span, a child of the context of the transaction that wrote the event. */
export function startEventSpan(msg: JsMsg, event: UnpackedEvent, spec: ConsumerSpec, attributes: Record<string, number> = {}): Span {
  return tracer.startSpan(`consume ${spec.subject}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': msg.subject,
      'messaging.message.id': event.id,
      'messaging.consumer.group.name': spec.durable,
      'sabia.delivery_count': msg.info.deliveryCount,
      ...attributes,
    },
  }, event.parent);
}

/**
 * A handler failed on an event of this delivery: nak the delivery with backoff, or on its last
 * attempt (or when it is poison) copy it to the dead-letter stream and terminate it. Events of
 * the delivery that succeeded are redelivered with it and skipped by their handler's applyOnce.
 */
export async function failMessage(bus: Bus, spec: ConsumerSpec, logger: Logger, msg: JsMsg, failedIds: string[], err: Error): Promise<void> {
  const last = err instanceof PoisonMessageError || msg.info.deliveryCount >= spec.maxDeliver;
  if (last) {
    logger.error({ err, eventIds: failedIds.slice(0, 20), subject: msg.subject }, 'event dead-lettered');
    await deadLetter(bus, spec.durable, msg, failedIds, err).catch((dlqErr) => logger.error({ err: dlqErr }, 'dead-letter publish failed'));
    msg.term();
  } else {
    const delay = BACKOFF_MS[Math.min(msg.info.deliveryCount - 1, BACKOFF_MS.length - 1)]!;
    logger.warn({ err, eventIds: failedIds.slice(0, 20), attempt: msg.info.deliveryCount }, 'event failed, will retry');
    msg.nak(delay);
  }
}

/** The whole delivery goes to the dead-letter stream (a replay is harmless: consumers apply once), with which events failed and why. */
async function deadLetter(bus: Bus, durable: string, msg: JsMsg, failedIds: string[], err: Error): Promise<void> {
  const hdrs = natsHeaders();
  for (const [key, values] of msg.headers ?? []) for (const value of values) hdrs.append(key, value);
  hdrs.set('Sabia-Original-Subject', msg.subject);
  hdrs.set('Sabia-Error', err.message.slice(0, 500));
  if (failedIds.length > 0) hdrs.set('Sabia-Failed-Events', failedIds.join(',').slice(0, 2_000));
  await bus.js.publish(bus.names.subject(`sabia.dlq.${durable}`), msg.data, { headers: hdrs });
}
