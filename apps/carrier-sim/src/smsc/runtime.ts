import type smpp from 'smpp';
import type { Context } from '@opentelemetry/api';
import type { DeliveryQueue } from './delivery-queue';
import type { SmscCounts, SmscOptions } from './types';

export type BindKind = 'transmitter' | 'receiver' | 'transceiver';

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

/** The state one SMSC's sessions share. Internal to src/smsc. */
export interface SmscRuntime {
  options: SmscOptions;
  counts: Omit<SmscCounts, 'queued'>;
  /** Bound sessions and how they bound; unbound sessions are absent. */
  bindings: Map<smpp.Session, BindKind>;
  queue: DeliveryQueue<SmscDelivery>;
  /** Runs fn after delayMs (now if 0), unless the SMSC closes first. */
  later(delayMs: number, fn: () => void): void;
}

export const canTransmit = (kind: BindKind | undefined): boolean => kind === 'transmitter' || kind === 'transceiver';
export const canReceive = (kind: BindKind | undefined): boolean => kind === 'receiver' || kind === 'transceiver';
