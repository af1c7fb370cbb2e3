// A tiny ESME for the integration tests: a real smpp client session over loopback that records
// every deliver_sm and lets a test wait for the next one.
import smpp from 'smpp';

export interface TestEsme {
  session: smpp.Session;
  /** Every deliver_sm received so far, in order. */
  delivered: smpp.Pdu[];
  /** Resolves with the first deliver_sm (already received or future) that matches. */
  nextDeliver(match?: (pdu: smpp.Pdu) => boolean, timeoutMs?: number): Promise<smpp.Pdu>;
  /** Sends a request and resolves with its response PDU. */
  request(command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver' | 'submit_sm' | 'enquire_link' | 'unbind', fields?: Record<string, unknown>): Promise<smpp.Pdu>;
  close(): Promise<void>;
}

/**
 * The status each deliver_sm is answered with; a test can refuse some to exercise redelivery, or
 * return undefined to leave it unanswered (an ESME that hangs).
 */
export type DeliverAnswer = (pdu: smpp.Pdu) => number | undefined;

export async function connectEsme(port: number, answer: DeliverAnswer = () => 0): Promise<TestEsme> {
  const session = smpp.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  const delivered: smpp.Pdu[] = [];
  const waiters = new Set<() => void>();
  session.on('deliver_sm', (pdu: smpp.Pdu) => {
    delivered.push(pdu);
    const commandStatus = answer(pdu);
    if (commandStatus !== undefined) session.send(pdu.response({ command_status: commandStatus }));
    for (const wake of waiters) wake();
  });

  return {
    session,
    delivered,
    nextDeliver(match = () => true, timeoutMs = 3_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = delivered.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching deliver_sm within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    request(command, fields = {}) {
      return new Promise((resolve, reject) => {
        if (!session[command](fields, resolve)) reject(new Error(`${command}: socket not writable`));
      });
    },
    close() {
      return new Promise((resolve) => {
        if (session.socket.destroyed) return resolve();
        session.destroy(() => resolve());
      });
    },
  };
}

/** Resolves after ms; for asserting that something does NOT happen within a window. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
