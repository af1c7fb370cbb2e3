import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { TRACE_TLV_TAG, registerTraceTlv } from '@sabia/smpp';
import { DeliveryQueue, type Attempt } from './delivery-queue';
import { moDelivery } from './mo';
import { canReceive, type BindKind, type SmscDelivery, type SmscRuntime } from './runtime';
import { handleSession } from './session';
import { endWithStatus, startReceiptSpan } from './tracing';
import type { Smsc, SmscOptions } from './types';

const DEFAULT_DELIVER_WINDOW = 64;
const DEFAULT_REDELIVERY_DELAY_MS = 1_000;
const RESPONSE_TIMEOUT_MS = 30_000;

// Receipts continue the submit's trace in a PRODUCER span whose traceparent rides in the PDU.
function startAttempt(delivery: SmscDelivery): Attempt {
  if (delivery.kind !== 'receipt' || !delivery.traceContext) return { finish: () => {} };
  const { span, traceparent } = startReceiptSpan(delivery.traceContext, delivery.messageId);
  return {
    fields: traceparent ? { [TRACE_TLV_TAG]: traceparent } : undefined,
    finish: (commandStatus) => endWithStatus(span, commandStatus),
  };
}

/** Starts an SMPP 3.4 SMSC listening on options.host:options.port (0 = ephemeral). */
export async function startSmsc(options: SmscOptions): Promise<Smsc> {
  registerTraceTlv();
  const { logger } = options;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const bindings = new Map<smpp.Session, BindKind>();
  const counts = { binds: 0, submits: 0, receiptsSent: 0, mo: 0 };

  const queue = new DeliveryQueue<SmscDelivery>({
    // One credential per SMSC, so every bound receiver belongs to the submitter's system_id.
    receivers: () => [...bindings].filter(([, kind]) => canReceive(kind)).map(([session]) => session),
    startAttempt,
    onDelivered: (delivery) => {
      if (delivery.kind === 'receipt') counts.receiptsSent++;
      else counts.mo++;
    },
    logger,
    window: options.deliverWindow ?? DEFAULT_DELIVER_WINDOW,
    redeliveryDelayMs: options.redeliveryDelayMs ?? DEFAULT_REDELIVERY_DELAY_MS,
    responseTimeoutMs: RESPONSE_TIMEOUT_MS,
  });

  const runtime: SmscRuntime = {
    options,
    counts,
    bindings,
    queue,
    later(delayMs, fn) {
      if (closed) return;
      if (delayMs <= 0) return fn(); // no timer hop on the hot path when the profile has no delay
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, delayMs);
      timers.add(timer);
    },
  };

  const server = smpp.createServer({}, (session) => handleSession(session, runtime));
  server.on('error', (err: Error) => logger.error({ err: err.message }, 'smsc server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    counts: () => ({ ...counts, queued: queue.size }),
    injectMo: (message) => queue.enqueue(moDelivery(message)),
    async close() {
      // Nothing here is durable: pending receipts and MO die with the simulator.
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queue.close();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // destroy(cb) waits for each socket's close, after the session's own close handling ran.
      await Promise.all(server.sessions.map((session) => new Promise<void>((resolve) => session.destroy(resolve))));
      await serverClosed;
    },
  };
}
