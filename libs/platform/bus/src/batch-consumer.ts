import type { JsMsg } from '@nats-io/jetstream';
import { SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Logger } from '@sabia/logger';
import type { Bus } from './connect';
import { failMessage, startConsumeSpan, type ConsumerHandle, type IncomingEvent } from './consumer';
import { ensureConsumer, type ConsumerSpec } from './setup';

export interface BatchEvent extends IncomingEvent {
  /** This event's CONSUMER span, child of its producer: work for this event runs in it. */
  traceContext: Context;
}

/** Per event, in order: done (ack) or the error it failed with (nak with backoff, or dead-letter). */
export type BatchResult = 'ok' | Error;

/**
 * A durable pull consumer that hands events over in batches: up to `maxBatch` at once, or what
 * arrived within `maxWaitMs` of the first. One transaction per batch instead of per event is
 * what lets a 2-core machine keep up with thousands of events a second. The handler answers
 * per event, so one bad event is retried (or dead-lettered) alone; when the handler throws,
 * the batch's events are handled again one by one, so only the culprit fails. Every event keeps its own CONSUMER span, so traces stay one per message.
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
  const spec: ConsumerSpec = { maxDeliver: 8, ackWaitMs: 10_000, ...opts.spec };
  const maxBatch = opts.maxBatch ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 2;
  const concurrency = opts.concurrency ?? 2;
  await ensureConsumer(opts.bus, spec);
  const consumer = await opts.bus.js.consumers.get(opts.bus.names.stream(spec.domain), opts.bus.names.durable(spec.durable));
  const messages = await consumer.consume({ max_messages: maxBatch * (concurrency + 1) });
  const inFlight = new Set<Promise<void>>();
  let buffer: JsMsg[] = [];
  let timer: NodeJS.Timeout | undefined;
  let slotFreed: (() => void) | undefined;

  const run = async (batch: JsMsg[]) => {
    const spans: Span[] = [];
    const events: BatchEvent[] = batch.map((msg) => {
      const { id, parent, span } = startConsumeSpan(msg, spec, { 'messaging.batch.message_count': batch.length });
      spans.push(span);
      return { id, subject: msg.subject, data: msg.data, deliveryCount: msg.info.deliveryCount, traceContext: trace.setSpan(parent, span) };
    });
    const heartbeat = setInterval(() => batch.forEach((m) => m.working()), Math.max(1_000, spec.ackWaitMs / 3));
    let results: BatchResult[];
    try {
      results = await opts.handleBatch(events);
    } catch (err) {
      // One bad event must not sink its neighbours: handle each alone to find it.
      results = events.length === 1 ? [err as Error] : await Promise.all(events.map((e) => opts.handleBatch([e]).then((r) => r[0]!, (alone: Error) => alone)));
    } finally {
      clearInterval(heartbeat);
    }
    await Promise.all(
      batch.map(async (msg, i) => {
        const result = results[i] ?? new Error('the batch handler gave no result for this event');
        const span = spans[i]!;
        if (result === 'ok') msg.ack();
        else {
          span.recordException(result);
          span.setStatus({ code: SpanStatusCode.ERROR });
          await failMessage(opts.bus, spec, opts.logger, msg, events[i]!.id, result);
        }
        span.end();
      }),
    );
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0 || inFlight.size >= concurrency) return;
    const batch = buffer.splice(0, maxBatch);
    const task: Promise<void> = run(batch)
      .catch((err) => opts.logger.error({ err }, 'batch settlement failed; the events will be redelivered'))
      .finally(() => {
        inFlight.delete(task);
        slotFreed?.();
        flush(); // what arrived meanwhile
      });
    inFlight.add(task);
  };

  const loop = (async () => {
    for await (const msg of messages) {
      buffer.push(msg);
      if (buffer.length >= maxBatch) flush();
      else timer ??= setTimeout(flush, maxWaitMs);
      // Stop reading while a full batch waits for a free slot: the server keeps the rest.
      while (buffer.length >= maxBatch && inFlight.size >= concurrency) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
      }
    }
  })();

  return {
    async stop() {
      messages.stop();
      await loop.catch(() => undefined);
      // Events fetched but not started go back to the server when their ack wait ends; the
      // batches already running finish and ack.
      if (timer) clearTimeout(timer);
      await Promise.all(inFlight);
      for (const msg of buffer) msg.nak();
      buffer = [];
    },
  };
}
