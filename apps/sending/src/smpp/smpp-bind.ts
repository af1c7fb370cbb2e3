import type { Logger } from '@sabia/logger';
import { registerTraceTlv, TRACE_TLV_TAG } from '@sabia/smpp';
import smpp from 'smpp';

export interface SubmitRequest {
  to: string;
  from: string;
  text: string;
  /** W3C traceparent, carried to the SMSC in a vendor TLV. */
  traceparent?: string;
}

export interface SubmitResult {
  commandStatus: number;
  messageId: string;
}

const SUBMIT_TIMEOUT_MS = 30_000;
const BIND_WAIT_MS = 10_000;

/**
 * One transceiver bind to an SMSC: a window of in-flight submits, enquire_link, and
 * reconnect with exponential backoff and jitter. Receipts and MOs arrive on the same bind
 * and are handed to `onDeliver`; the deliver_sm_resp is sent only after it resolves, so an
 * SMSC redelivers what we failed to record.
 */
export class SmppBind {
  private session: smpp.Session | undefined;
  private bound = false;
  private stopped = false;
  private attempt = 0;
  private inFlight = 0;
  private readonly windowWaiters: Array<() => void> = [];
  private readonly boundWaiters = new Set<() => void>();

  constructor(
    private readonly opts: {
      url: string;
      systemId: string;
      password: string;
      window: number;
      logger: Logger;
      onDeliver(pdu: smpp.Pdu): Promise<void>;
    },
  ) {
    registerTraceTlv();
  }

  start(): void {
    this.connect();
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    await this.waitBound();
    await this.acquireWindow();
    try {
      return await new Promise<SubmitResult>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('submit_sm timed out')), SUBMIT_TIMEOUT_MS);
        const fields: Record<string, unknown> = {
          source_addr_ton: 5,
          source_addr: req.from,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: req.to.replace(/^\+/, ''),
          registered_delivery: 1,
        };
        // Up to 254 octets fit short_message; longer texts go whole in message_payload
        // (SMPP 3.4 §5.3.2.32) until UDH concatenation lands.
        if (Buffer.byteLength(req.text, 'utf16le') > 140) fields.message_payload = req.text;
        else fields.short_message = req.text;
        if (req.traceparent) fields[TRACE_TLV_TAG] = req.traceparent;
        const sent = this.session!.submit_sm(fields, (pdu) => {
          clearTimeout(timer);
          resolve({ commandStatus: pdu.command_status, messageId: String(pdu.message_id ?? '') });
        });
        if (!sent) {
          clearTimeout(timer);
          reject(new Error('SMPP socket not writable'));
        }
      });
    } finally {
      this.releaseWindow();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const session = this.session;
    if (!session || session.socket.destroyed) return;
    if (!this.bound) {
      session.destroy();
      return;
    }
    // Unbind politely, but never let a silent SMSC hold up shutdown.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        session.destroy();
        resolve();
      }, 2_000);
      session.unbind({}, () => {
        clearTimeout(timer);
        session.close();
        resolve();
      });
    });
  }

  private connect(): void {
    const { hostname, port } = new URL(this.opts.url);
    const session = smpp.connect({ host: hostname, port: Number(port), auto_enquire_link_period: 30_000 });
    this.session = session;
    session.on('connect', () => {
      // Node leaves Nagle on for plain sockets; with a window, delayed ACKs stall throughput.
      session.socket.setNoDelay(true);
      session.bind_transceiver({ system_id: this.opts.systemId, password: this.opts.password }, (pdu) => {
        if (pdu.command_status !== 0) {
          this.opts.logger.error({ status: pdu.command_status }, 'SMPP bind refused');
          session.destroy();
          return;
        }
        this.attempt = 0;
        this.bound = true;
        this.opts.logger.info({ url: this.opts.url }, 'SMPP bound');
        for (const wake of this.boundWaiters) wake();
      });
    });
    session.on('deliver_sm', (pdu) => {
      this.opts
        .onDeliver(pdu)
        .then(() => session.send(pdu.response()))
        .catch((err) => {
          // ESME_RX_T_APPN (0x64): temporary failure; the SMSC will deliver it again.
          this.opts.logger.warn({ err }, 'deliver_sm not recorded; asking the SMSC to retry');
          session.send(pdu.response({ command_status: 0x64 }));
        });
    });
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('error', (err) => this.opts.logger.warn({ err: String(err) }, 'SMPP session error'));
    session.on('close', () => {
      this.bound = false;
      if (this.stopped) return;
      const delay = Math.min(30_000, 250 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.opts.logger.warn({ delayMs: Math.round(delay) }, 'SMPP connection closed; reconnecting');
      setTimeout(() => !this.stopped && this.connect(), delay);
    });
  }

  private waitBound(): Promise<void> {
    if (this.bound) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.boundWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.boundWaiters.delete(wake);
        reject(new Error('SMPP not bound'));
      }, BIND_WAIT_MS);
      this.boundWaiters.add(wake);
    });
  }

  private acquireWindow(): Promise<void> {
    if (this.inFlight < this.opts.window) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.windowWaiters.push(() => (this.inFlight++, resolve())));
  }

  private releaseWindow(): void {
    this.inFlight--;
    this.windowWaiters.shift()?.();
  }
}
