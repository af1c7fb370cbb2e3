import type { JsMsg } from '@nats-io/jetstream';
import { SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Logger } from '@sabia/logger';
import type { Bus } from './connect';
import { failMessage, openDeliveries, settleDelivery, startEventSpan, type ConsumerHandle, type EventFailure, type IncomingEvent } from './consumer';
import { unpackEvents, type UnpackedEvent } from './envelope';
import type { ConsumerSpec } from './setup';

export interface BatchEvent extends IncomingEvent {
  /** This event's CONSUMER span, child of its producer: work for this event runs in it. */
  traceContext: Context;
}

/** Per event, in order: done (ack) or the error it failed with (nak with backoff, or dead-letter). */
export type BatchResult = 'ok' | Error;

/** A NATS message being worked on: settled when its last event is answered. */
interface Delivery {
  msg: JsMsg;
  remaining: number;
  failures: EventFailure[];
}

interface Pending {
  event: UnpackedEvent;
  delivery: Delivery;
}

/**
 * A durable pull consumer that hands events over in batches: up to `maxBatch` at once, or what
 * arrived within `maxWaitMs` of the first. Events arrive packed by the outbox relay (a few
 * hundred per NATS message) or alone; batches are cut by event, whatever carried them. One
 * transaction per batch instead of per event is what lets a 2-core machine keep up with
 * thousands of events a second. The handler answers per event; when it throws, the batch's
 * events are handled again one by one, so only the culprit fails. A NATS message is settled
 * when all its events are answered (settleDelivery: ack; poison events dead-lettered alone;
 * other failures nak it, and its finished events are skipped on redelivery by the handler's
 * applyOnce). Every event keeps its own CONSUMER span, so traces stay one per message.
 */
export async function startBatchConsumer(opts: {
  bus: Bus;
  spec: Omit<ConsumerSpec, 'maxDeliver' | 'ackWaitMs'> & Partial<ConsumerSpec>;
  logger: Logger;
  maxBatch?: number;
  maxWaitMs?: number;
  /** Batches handled at once. */
  concurrency?: number;
  handleBatch(events: BatchEvent[]): Promise<BatchResult[]>;
}): Promise<ConsumerHandle> {
  const { spec, messages, held } = await openDeliveries(opts.bus, opts.spec);
  const maxBatch = opts.maxBatch ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 2;
  const concurrency = opts.concurrency ?? 2;
  const inFlight = new Set<Promise<void>>();
  let buffer: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  const settle = async (delivery: Delivery) => {
    held.delete(delivery.msg);
    await settleDelivery(opts.bus, spec, opts.logger, delivery.msg, delivery.failures);
  };

  const run = async (batch: Pending[]) => {
    const spans: Span[] = [];
    let results: BatchResult[];
    try {
      const events: BatchEvent[] = batch.map(({ event, delivery }) => {
        const span = startEventSpan(delivery.msg, event, spec, { 'messaging.batch.message_count': batch.length });
        spans.push(span);
        return { id: event.id, subject: delivery.msg.subject, data: event.data, deliveryCount: delivery.msg.info.deliveryCount, traceContext: trace.setSpan(event.parent, span) };
      });
      try {
        results = await opts.handleBatch(events);
      } catch (err) {
        // One bad event must not sink its neighbours: handle each alone to find it.
        results = events.length === 1 ? [err as Error] : await Promise.all(events.map((e) => opts.handleBatch([e]).then((r) => r[0]!, (alone: Error) => alone)));
      }
    } catch (err) {
      // Nothing is known of these events: each counts as failed (redelivered, or dead-lettered
      // on the last attempt), so no delivery is left held forever.
      results = batch.map(() => err as Error);
    }
    const settling: Promise<void>[] = [];
    batch.forEach(({ event, delivery }, i) => {
      const result = results[i] ?? new Error('the batch handler gave no result for this event');
      const span = spans[i];
      if (result !== 'ok') {
        span?.recordException(result);
        span?.setStatus({ code: SpanStatusCode.ERROR });
        delivery.failures.push({ event, error: result });
      }
      span?.end();
      if (--delivery.remaining === 0) settling.push(settle(delivery));
    });
    await Promise.all(settling);
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (buffer.length > 0 && inFlight.size < concurrency) {
      const batch = buffer.splice(0, maxBatch);
      const task: Promise<void> = run(batch)
        .catch((err) => opts.logger.error({ err }, 'batch settlement failed; the events will be redelivered'))
        .finally(() => {
          inFlight.delete(task);
          flush(); // what arrived meanwhile
        });
      inFlight.add(task);
    }
  };

  const receive = async (msg: JsMsg) => {
    let events: UnpackedEvent[];
    try {
      events = unpackEvents(msg);
    } catch (err) {
      return failMessage(opts.bus, spec, opts.logger, msg, [], err as Error);
    }
    if (events.length === 0) return msg.ack();
    const delivery: Delivery = { msg, remaining: events.length, failures: [] };
    held.add(msg);
    for (const event of events) buffer.push({ event, delivery });
  };

  // Every delivered message is taken at once (and kept alive by the heartbeat until settled);
  // the consumer's max_ack_pending is what holds the rest back on the server.
  const loop = (async () => {
    for await (const msg of messages) {
      await receive(msg);
      if (buffer.length >= maxBatch) flush();
      else if (buffer.length > 0) timer ??= setTimeout(flush, maxWaitMs);
    }
  })();

  return {
    async stop() {
      messages.stop();
      await loop.catch(() => undefined);
      // The batches already running finish; deliveries with events not started go back to the
      // server now (their finished events are skipped on redelivery).
      if (timer) clearTimeout(timer);
      buffer = [];
      await Promise.all(inFlight);
      held.giveBack();
    },
  };
}
