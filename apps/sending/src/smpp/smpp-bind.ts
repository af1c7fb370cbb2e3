import type { Logger } from '@sabia/logger';
import { coalesceWrites, registerTraceTlv, TRACE_TLV_TAG } from '@sabia/smpp';
import smpp from 'smpp';
import type { BindConfig } from '../routing/carrier-config';

/** One part as it goes over SMPP: already encoded and split (libs/sms-encoding). */
export interface SubmitRequest {
  to: string;
  from: string;
  /** short_message octets: UDH (if any), then the text in the part's data coding. */
  shortMessage: Uint8Array;
  dataCoding: number;
  /** True when shortMessage starts with a UDH (esm_class UDHI, 0x40). */
  udh: boolean;
  /** W3C traceparent, carried to the SMSC in a vendor TLV. */
  traceparent?: string;
}

export interface SubmitResult {
  commandStatus: number;
  messageId: string;
}

const SUBMIT_TIMEOUT_MS = 30_000;
const BIND_WAIT_MS = 10_000;
const ESM_CLASS_UDHI = 0x40;
// ESME_RTHROTTLED and ESME_RMSGQFUL: the carrier asks us to slow down.
const SLOW_DOWN = new Set([0x58, 0x14]);
const THROTTLE_PAUSE_MS = { first: 200, max: 5_000 };
/** Resubmits after "slow down" before the dispatcher is told (and retries the message later). */
const THROTTLE_RETRIES = 20;

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
  /** Submits sent and not yet answered, to fail when the connection drops. */
  private readonly unanswered = new Set<(err: Error) => void>();
  /** Earliest time the next submit may leave (our cap, or the carrier's "slow down"). */
  private nextSlotAt = 0;
  private throttlePauseMs = 0;

  constructor(
    private readonly opts: {
      bind: BindConfig;
      /** The carrier's id, for logs. */
      carrier: string;
      /** Whether to ask for delivery receipts (registered_delivery). */
      receipts: boolean;
      logger: Logger;
      onDeliver(pdu: smpp.Pdu): Promise<void>;
    },
  ) {
    registerTraceTlv();
  }

  start(): void {
    this.connect();
  }

  get window(): number {
    return this.opts.bind.window;
  }

  /** submit_sm in flight or waiting for a window slot: how busy this bind is. */
  get load(): number {
    return this.inFlight + this.windowWaiters.length;
  }

  /**
   * Submits one part. When the carrier answers ESME_RTHROTTLED or ESME_RMSGQFUL, this bind
   * pauses (doubling up to 5 s) and submits the same part again; only after many refusals is
   * the answer handed back for the dispatcher to retry the message later.
   */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    let result: SubmitResult | undefined;
    for (let attempt = 0; attempt <= THROTTLE_RETRIES; attempt++) {
      result = await this.submitOnce(req);
      if (!SLOW_DOWN.has(result.commandStatus)) {
        this.throttlePauseMs = 0;
        return result;
      }
      this.throttlePauseMs = Math.min(THROTTLE_PAUSE_MS.max, this.throttlePauseMs ? this.throttlePauseMs * 2 : THROTTLE_PAUSE_MS.first);
      this.nextSlotAt = Math.max(this.nextSlotAt, Date.now() + this.throttlePauseMs);
      this.opts.logger.debug({ carrier: this.opts.carrier, pauseMs: this.throttlePauseMs }, 'carrier asked to slow down');
    }
    return result!;
  }

  private async submitOnce(req: SubmitRequest): Promise<SubmitResult> {
    await this.waitBound();
    await this.acquireWindow();
    try {
      await this.waitForSlot();
      const session = this.session!;
      return await new Promise<SubmitResult>((resolve, reject) => {
        const fail = (err: Error) => {
          clearTimeout(timer);
          this.unanswered.delete(fail);
          reject(err);
        };
        const timer = setTimeout(() => fail(new Error('submit_sm timed out')), SUBMIT_TIMEOUT_MS);
        // A dropped connection never answers: fail at once instead of waiting for the timeout.
        this.unanswered.add(fail);
        const fields: Record<string, unknown> = {
          source_addr_ton: 5,
          source_addr: req.from,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: req.to.replace(/^\+/, ''),
          registered_delivery: this.opts.receipts ? 1 : 0,
          esm_class: req.udh ? ESM_CLASS_UDHI : 0,
          data_coding: req.dataCoding,
          // Octets as they are: the smpp package would otherwise re-encode a string itself.
          short_message: Buffer.from(req.shortMessage),
        };
        if (req.traceparent) fields[TRACE_TLV_TAG] = req.traceparent;
        const sent = session.submit_sm(fields, (pdu) => {
          clearTimeout(timer);
          this.unanswered.delete(fail);
          resolve({ commandStatus: pdu.command_status, messageId: String(pdu.message_id ?? '') });
        });
        if (!sent) fail(new Error('SMPP socket not writable'));
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

  /** Spaces submits to the bind's cap (maxPerSecond) and honours a "slow down" pause. */
  private async waitForSlot(): Promise<void> {
    const perSecond = this.opts.bind.maxPerSecond;
    const now = Date.now();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = perSecond > 0 ? at + 1000 / perSecond : at;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private connect(): void {
    const { bind } = this.opts;
    const url = new URL(bind.url);
    const tls = url.protocol === 'smpps:';
    const session = smpp.connect({ host: url.hostname, port: Number(url.port), tls, auto_enquire_link_period: 30_000 });
    coalesceWrites(session);
    this.session = session;
    session.on(tls ? 'secureConnect' : 'connect', () => {
      // Node leaves Nagle on for plain sockets; with a window, delayed ACKs stall throughput.
      session.socket.setNoDelay(true);
      session.bind_transceiver({ system_id: bind.systemId, password: bind.password }, (pdu) => {
        if (pdu.command_status !== 0) {
          this.opts.logger.error({ carrier: this.opts.carrier, systemId: bind.systemId, status: pdu.command_status }, 'SMPP bind refused');
          session.destroy();
          return;
        }
        this.attempt = 0;
        this.bound = true;
        this.opts.logger.info({ carrier: this.opts.carrier, url: bind.url, systemId: bind.systemId }, 'SMPP bound');
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
      // The SMSC may or may not have taken them: the dispatcher submits them again (an SMSC
      // that had accepted one delivers it twice; SMPP offers no way to know).
      for (const fail of [...this.unanswered]) fail(new Error('SMPP connection lost before submit_sm_resp'));
      if (this.stopped) return;
      const delay = Math.min(30_000, 250 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.opts.logger.warn({ carrier: this.opts.carrier, delayMs: Math.round(delay) }, 'SMPP connection closed; reconnecting');
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
    if (this.inFlight < this.opts.bind.window) {
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
