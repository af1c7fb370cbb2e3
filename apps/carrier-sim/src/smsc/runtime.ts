import type smpp from 'smpp';
import type { Context } from '@opentelemetry/api';
import type { DeliveryQueue } from './delivery-queue';
import type { SmscAccount, SmscCounts, SmscOptions } from './types';

export type BindKind = 'transmitter' | 'receiver' | 'transceiver';

/** A bound session: how it bound and as which account. */
export interface Binding {
  kind: BindKind;
  account: SmscAccount;
}

/** A delivery receipt remembers its submit's trace so the deliver_sm span joins it. */
export interface ReceiptDelivery {
  kind: 'receipt';
  fields: Record<string, unknown>;
  messageId: string;
  traceContext: Context | undefined;
}

export interface MoDelivery {
  kind: 'mo';
  fields: Record<string, unknown>;
}

export type SmscDelivery = ReceiptDelivery | MoDelivery;

export type AccountCounts = Omit<SmscCounts, 'binds' | 'queued'>;

/** Per-account state: its deliveries, counters and the current second's submit count. */
export interface AccountState {
  account: SmscAccount;
  queue: DeliveryQueue<SmscDelivery>;
  counts: AccountCounts;
  second: { startedAt: number; submits: number };
}

/** A submit as the SMSC saw it, for tests and operators (GET /submits). */
export interface SubmitRecord {
  systemId: string;
  messageId: string;
  to: string;
  esmClass: number;
  dataCoding: number;
  /** The user data header as hex ("050003" + reference, total, index for concatenation), or "". */
  udhHex: string;
  /** The part's text as the handset shows it. */
  text: string;
  at: string;
}

/** The state one SMSC's sessions share. Internal to src/smsc. */
export interface SmscRuntime {
  options: SmscOptions;
  counts: { binds: number };
  /** Bound sessions and how they bound; unbound sessions are absent. */
  bindings: Map<smpp.Session, Binding>;
  accounts: Map<string, AccountState>;
  random: () => number;
  /** The latest accepted submits, oldest first (bounded). */
  recentSubmits: SubmitRecord[];
  /** Runs fn after delayMs (now if 0), unless the SMSC closes first. */
  later(delayMs: number, fn: () => void): void;
}

export const canTransmit = (kind: BindKind | undefined): boolean => kind === 'transmitter' || kind === 'transceiver';
export const canReceive = (kind: BindKind | undefined): boolean => kind === 'receiver' || kind === 'transceiver';
