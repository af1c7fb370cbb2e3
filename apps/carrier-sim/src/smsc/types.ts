import type { SubmitRecord } from './runtime';
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
  /** When set, receipt delays are uniform between receiptDelayMs and this (seconds to hours, scaled for tests). */
  receiptDelayMaxMs?: number;
  /** Submits accepted per second per system_id; above it the answer is ESME_RTHROTTLED. 0 or unset: no cap. */
  maxSubmitsPerSecond?: number;
  /** Share of submits refused outright (0..1), answered with rejectStatus. */
  rejectShare?: number;
  /** command_status of refused submits (default ESME_RSUBMITFAIL 0x45). */
  rejectStatus?: number;
  /** Send the receipt before the submit_sm_resp (a misbehaving SMSC; the ESME must park it). */
  receiptBeforeResponse?: boolean;
  /** Share of receipts sent twice (0..1): the ESME must not count them twice. */
  duplicateReceiptShare?: number;
  /** Mean seconds between random drops of each bound session (a flaky carrier link). 0 or unset: never. */
  bindDropMeanSeconds?: number;
}

/** One ESME account: a system_id, its password and how the carrier behind it behaves. */
export interface SmscAccount {
  systemId: string;
  password: string;
  profile: CarrierProfile;
}

export interface SmscOptions {
  host: string;
  /** 0 picks an ephemeral port; the real one is reported in Smsc.port. */
  port: number;
  /**
   * The accounts ESMEs bind with. Each system_id is its own carrier profile: its receipts and
   * MO go only to sessions bound with the same system_id (one port can stand in for many carriers).
   */
  accounts: SmscAccount[];
  logger: Logger;
  /** Source of randomness for deliveredShare; tests may pin it. Defaults to Math.random. */
  random?: () => number;
  /** How long a refused or unacknowledged deliver_sm waits before it is offered again (default 1 s). */
  redeliveryDelayMs?: number;
  /** Unacknowledged deliver_sm allowed per receiver session (default 64). */
  deliverWindow?: number;
  /** Serve SMPP over TLS with this certificate (PEM) instead of plain TCP, as SMSCs on the internet do. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface SmscCounts {
  /** Successful binds of any kind. */
  binds: number;
  /** submit_sm accepted with ESME_ROK. */
  submits: number;
  /** submit_sm answered ESME_RTHROTTLED (over the profile's cap). */
  throttled: number;
  /** submit_sm refused with the profile's rejectStatus. */
  rejected: number;
  /** Delivery receipts acknowledged by an ESME with a successful deliver_sm_resp. */
  receiptsSent: number;
  /** Mobile-originated deliver_sm acknowledged by an ESME. */
  mo: number;
  /** deliver_sm (receipts and MO) waiting for a receiver or for their resp. */
  queued: number;
}

export interface MobileOriginated {
  /** The account (carrier) whose ESMEs get it; the first account when unset. */
  systemId?: string;
  from: string;
  to: string;
  text: string;
}

export interface Smsc {
  /** The port actually listened on. */
  port: number;
  close(): Promise<void>;
  counts(): SmscCounts & { bySystemId: Record<string, Omit<SmscCounts, 'binds' | 'queued'>> };
  /** The latest accepted submits (up to 1,000), of one account or all. */
  recentSubmits(systemId?: string): SubmitRecord[];
  /** Queues an MO deliver_sm (esm_class 0x00) for the next receiver-capable session. */
  injectMo(message: MobileOriginated): void;
}
