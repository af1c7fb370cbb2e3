import type { Logger } from 'pino';

/** How one carrier behaves towards us. */
export interface CarrierProfile {
  /** Delay before submit_sm_resp, to model a slow SMSC (the sender's window fills up). */
  submitDelayMs: number;
  /** Delay between submit_sm_resp and the delivery receipt. */
  receiptDelayMs: number;
  /** Oi and Sercomtel never send delivery receipts (DESIGN §2.4). */
  sendsReceipts: boolean;
  /** Share of receipts that say DELIVRD (0..1); the rest say UNDELIV. */
  deliveredShare: number;
}

export interface SmscOptions {
  host: string;
  /** 0 picks an ephemeral port; the real one is reported in Smsc.port. */
  port: number;
  systemId: string;
  password: string;
  profile: CarrierProfile;
  logger: Logger;
  /** Source of randomness for deliveredShare; tests may pin it. Defaults to Math.random. */
  random?: () => number;
  /** How long a refused or unacknowledged deliver_sm waits before it is offered again (default 1 s). */
  redeliveryDelayMs?: number;
  /** Unacknowledged deliver_sm allowed per receiver session (default 64). */
  deliverWindow?: number;
}

export interface SmscCounts {
  /** Successful binds of any kind. */
  binds: number;
  /** submit_sm accepted with ESME_ROK. */
  submits: number;
  /** Delivery receipts acknowledged by an ESME with a successful deliver_sm_resp. */
  receiptsSent: number;
  /** Mobile-originated deliver_sm acknowledged by an ESME. */
  mo: number;
  /** deliver_sm (receipts and MO) waiting for a receiver or for their resp. */
  queued: number;
}

export interface MobileOriginated {
  from: string;
  to: string;
  text: string;
}

export interface Smsc {
  /** The port actually listened on. */
  port: number;
  close(): Promise<void>;
  counts(): SmscCounts;
  /** Queues an MO deliver_sm (esm_class 0x00) for the next receiver-capable session. */
  injectMo(message: MobileOriginated): void;
}
