import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { createHash } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Logger } from '@sabia/logger';
import type { Bus } from './connect';
import { BATCH_HEADER, packEvents, PREFETCH_MESSAGES, PULL_EXPIRES_MS, unpackEvents, type UnpackedEvent } from './envelope';
import { PoisonMessageError } from './poison';
import { ensureConsumer, type ConsumerSpec } from './setup';
import { currentTraceHeaders } from './trace-headers';

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
 * that continues the event's trace, then settles the delivery (settleDelivery: ack, nak with
 * backoff, dead-letter what cannot succeed).
 */
export async function startConsumer(opts: {
  bus: Bus;
  spec: Omit<ConsumerSpec, 'maxDeliver' | 'ackWaitMs'> & Partial<ConsumerSpec>;
  concurrency?: number;
  logger: Logger;
  handle(event: IncomingEvent): Promise<void>;
}): Promise<ConsumerHandle> {
  const { spec, messages, held } = await openDeliveries(opts.bus, opts.spec);
  const limit = opts.concurrency ?? 16;
  const inFlight = new Set<Promise<void>>();

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
    let events: UnpackedEvent[];
    try {
      events = unpackEvents(msg);
    } catch (err) {
      held.delete(msg);
      return failMessage(opts.bus, spec, opts.logger, msg, [], err as Error);
    }
    // Every event is handled, in order, whatever happened to the one before: one bad event must
    // not hold back (or dead-letter) the others that came with it.
    const failures: EventFailure[] = [];
    for (const event of events) {
      try {
        await handleEvent(msg, event);
      } catch (err) {
        failures.push({ event, error: err as Error });
      }
    }
    held.delete(msg);
    await settleDelivery(opts.bus, spec, opts.logger, msg, failures);
  };

  // Every delivered message is taken at once and kept alive until settled (max_ack_pending
  // holds the rest back on the server); at most `limit` are worked on.
  const waiting: JsMsg[] = [];
  const next = () => {
    while (waiting.length > 0 && inFlight.size < limit) {
      const msg = waiting.shift()!;
      const task: Promise<void> = processOne(msg)
        .catch((err) => opts.logger.error({ err }, 'settling an event failed; it will be redelivered'))
        .finally(() => {
          inFlight.delete(task);
          next();
        });
      inFlight.add(task);
    }
  };
  const loop = (async () => {
    for await (const msg of messages) {
      held.add(msg);
      waiting.push(msg);
      next();
    }
  })();

  return {
    async stop() {
      // Stop fetching, then let the handlers already running finish and ack.
      messages.stop();
      await loop.catch(() => undefined);
      waiting.length = 0; // not started: given back below, redelivered to whoever runs next
      await Promise.all(inFlight);
      held.giveBack();
    },
  };
}

/** A durable pull consumer's deliveries, from set-up to shutdown, as both consumers take them. */
export async function openDeliveries(bus: Bus, partial: Omit<ConsumerSpec, 'maxDeliver' | 'ackWaitMs'> & Partial<ConsumerSpec>) {
  // A short ack wait makes a crashed consumer's messages come back quickly; deliveries that
  // take longer are kept alive by `held`.
  const spec: ConsumerSpec = { maxDeliver: 8, ackWaitMs: 10_000, ...partial };
  await ensureConsumer(bus, spec);
  const consumer = await bus.js.consumers.get(bus.names.stream(spec.domain), bus.names.durable(spec.durable));
  const messages: ConsumerMessages = await consumer.consume({ max_messages: PREFETCH_MESSAGES, expires: PULL_EXPIRES_MS });
  return { spec, messages, held: new HeldDeliveries(spec.ackWaitMs) };
}

/**
 * Deliveries taken but not yet settled, started or not: each is kept alive (working()) until
 * it is settled, and what is left at shutdown goes back to the server (nak) at once.
 */
export class HeldDeliveries {
  private readonly held = new Set<JsMsg>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(ackWaitMs: number) {
    this.heartbeat = setInterval(() => this.held.forEach((m) => m.working()), Math.max(1_000, ackWaitMs / 3));
  }

  add(msg: JsMsg): void {
    this.held.add(msg);
  }

  delete(msg: JsMsg): void {
    this.held.delete(msg);
  }

  giveBack(): void {
    clearInterval(this.heartbeat);
    for (const msg of this.held) msg.nak();
    this.held.clear();
  }
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

/** An event of a delivery that its handler failed on. */
export interface EventFailure {
  event: UnpackedEvent;
  error: Error;
}

/**
 * Settles a delivery once every event in it was handled. All succeeded: ack. Poison events
 * (they can never succeed) go to the dead-letter stream at once, alone. Any other failure naks
 * the delivery with backoff — its finished events come back with it and are skipped by their
 * handlers' applyOnce — until the last attempt, when the failed events are dead-lettered too.
 */
export async function settleDelivery(bus: Bus, spec: ConsumerSpec, logger: Logger, msg: JsMsg, failures: EventFailure[]): Promise<void> {
  if (failures.length === 0) return msg.ack();
  const retryable = failures.filter((f) => !(f.error instanceof PoisonMessageError));
  const last = msg.info.deliveryCount >= spec.maxDeliver;
  const dead = last ? failures : failures.filter((f) => f.error instanceof PoisonMessageError);
  if (dead.length > 0) {
    logger.error({ err: dead[0]!.error, eventIds: dead.slice(0, 20).map((f) => f.event.id), subject: msg.subject }, 'events dead-lettered');
    await deadLetterEvents(bus, spec.durable, msg, dead).catch((dlqErr) => logger.error({ err: dlqErr }, 'dead-letter publish failed'));
  }
  if (retryable.length > 0 && !last) {
    const delay = BACKOFF_MS[Math.min(msg.info.deliveryCount - 1, BACKOFF_MS.length - 1)]!;
    logger.warn({ err: retryable[0]!.error, eventIds: retryable.slice(0, 20).map((f) => f.event.id), attempt: msg.info.deliveryCount }, 'events failed, will retry');
    msg.nak(delay);
  } else if (last) msg.term();
  else msg.ack(); // only poison events failed, and they are in the dead-letter stream
}

/**
 * A delivery that cannot even be read (an undecodable batch): the whole message goes to the
 * dead-letter stream as it came, and is terminated.
 */
export async function failMessage(bus: Bus, spec: ConsumerSpec, logger: Logger, msg: JsMsg, failedIds: string[], err: Error): Promise<void> {
  logger.error({ err, subject: msg.subject }, 'unreadable delivery dead-lettered');
  await deadLetter(bus, spec.durable, msg, msg.data, failedIds, err, msg.headers?.get('Nats-Msg-Id') || `${msg.info.stream}:${msg.seq}`).catch((dlqErr) =>
    logger.error({ err: dlqErr }, 'dead-letter publish failed'),
  );
  msg.term();
}

/**
 * The failed events of a delivery to the dead-letter stream: an event that came alone as it
 * came; events of a batch as a batch of just those. The message id names the events, so a
 * redelivery that fails them again does not dead-letter them twice (within JetStream's window).
 */
async function deadLetterEvents(bus: Bus, durable: string, msg: JsMsg, dead: EventFailure[]): Promise<void> {
  const batched = Boolean(msg.headers?.get(BATCH_HEADER));
  const data = batched ? packEvents(dead.map((f) => ({ id: f.event.id, payload: f.event.data, traceHeaders: currentTraceHeaders(f.event.parent) }))) : msg.data;
  const ids = dead.map((f) => f.event.id);
  const msgID = `${durable}:${createHash('sha256').update(ids.join(',')).digest('base64url')}`;
  await deadLetter(bus, durable, msg, data, ids, dead[0]!.error, msgID, batched ? dead.length : undefined);
}

async function deadLetter(bus: Bus, durable: string, msg: JsMsg, data: Uint8Array, failedIds: string[], err: Error, msgID: string, batchCount?: number): Promise<void> {
  const hdrs = natsHeaders();
  for (const [key, values] of msg.headers ?? []) {
    if (key === 'Nats-Msg-Id' || key === BATCH_HEADER) continue;
    for (const value of values) hdrs.append(key, value);
  }
  if (batchCount !== undefined) hdrs.set(BATCH_HEADER, String(batchCount));
  hdrs.set('Sabia-Original-Subject', msg.subject);
  hdrs.set('Sabia-Error', err.message.slice(0, 500));
  if (failedIds.length > 0) hdrs.set('Sabia-Failed-Events', failedIds.join(',').slice(0, 2_000));
  await bus.js.publish(bus.names.subject(`sabia.dlq.${durable}`), data, { headers: hdrs, msgID });
}
