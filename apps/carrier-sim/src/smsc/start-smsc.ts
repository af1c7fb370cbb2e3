import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { TRACE_TLV_TAG, registerTraceTlv } from '@sabia/smpp';
import { DeliveryQueue, type Attempt } from './delivery-queue';
import { moDelivery } from './mo';
import { canReceive, type AccountState, type Binding, type SmscDelivery, type SmscRuntime } from './runtime';
import { handleSession } from './session';
import { endWithStatus, startReceiptSpan } from './tracing';
import type { Smsc, SmscAccount, SmscOptions } from './types';

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
  if (options.accounts.length === 0) throw new Error('an SMSC needs at least one account (system_id and password)');
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const bindings = new Map<smpp.Session, Binding>();

  const accountState = (account: SmscAccount): AccountState => {
    const counts = { submits: 0, throttled: 0, rejected: 0, receiptsSent: 0, mo: 0 };
    const queue = new DeliveryQueue<SmscDelivery>({
      // A carrier hands receipts and MO only to its own customer's binds.
      receivers: () =>
        [...bindings].filter(([, b]) => b.account === account && canReceive(b.kind)).map(([session]) => session),
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
    return { account, queue, counts, second: { startedAt: 0, submits: 0 } };
  };
  const accounts = new Map<string, AccountState>();
  for (const account of options.accounts) {
    if (accounts.has(account.systemId)) throw new Error(`system_id ${account.systemId} is listed twice`);
    accounts.set(account.systemId, accountState(account));
  }

  const runtime: SmscRuntime = {
    options,
    counts: { binds: 0 },
    bindings,
    accounts,
    random: options.random ?? Math.random,
    recentSubmits: [],
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

  // With a key and certificate the smpp package serves TLS (the handshake precedes the bind).
  const server = smpp.createServer(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}, (session) => handleSession(session, runtime));
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
    counts: () => {
      const totals = { binds: runtime.counts.binds, submits: 0, throttled: 0, rejected: 0, receiptsSent: 0, mo: 0, queued: 0 };
      const bySystemId: Record<string, AccountState['counts']> = {};
      for (const [systemId, state] of accounts) {
        bySystemId[systemId] = { ...state.counts };
        for (const key of ['submits', 'throttled', 'rejected', 'receiptsSent', 'mo'] as const) totals[key] += state.counts[key];
        totals.queued += state.queue.size;
      }
      return { ...totals, bySystemId };
    },
    recentSubmits: (systemId) => runtime.recentSubmits.filter((r) => !systemId || r.systemId === systemId),
    injectMo: (message) => {
      const state = message.systemId ? accounts.get(message.systemId) : accounts.values().next().value;
      if (!state) throw new Error(`no account with system_id ${message.systemId}`);
      state.queue.enqueue(moDelivery(message));
    },
    async close() {
      // Nothing here is durable: pending receipts and MO die with the simulator.
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const state of accounts.values()) state.queue.close();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // destroy(cb) waits for each socket's close, after the session's own close handling ran.
      await Promise.all(server.sessions.map((session) => new Promise<void>((resolve) => session.destroy(resolve))));
      await serverClosed;
    },
  };
}
