import type { JsMsg } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { encodeMessage, busEnvelope } from '@sabia/contracts';
import { PoisonMessageError } from './poison';
import { contextFromNatsHeaders, contextFromRecord } from './trace-headers';

/** The header that marks a NATS message as an EventBatch and says how many events it holds. */
export const BATCH_HEADER = 'Sabia-Event-Batch';

/** In an outbox row's headers: the payload is an EventBatch of this many events, packed when written. */
export const PACKED_HEADER = 'sabia-packed';

/** Events per NATS message at most, and bytes of payload: well under NATS's 1 MiB default. */
export const MAX_BATCH_EVENTS = 256;
export const MAX_BATCH_BYTES = 512 * 1024;

/**
 * How many messages a consumer asks the server for per pull. Counted in messages, not bytes: a
 * pull sized in bytes ends with "409 Message Size Exceeds MaxBytes" as soon as the next batch
 * does not fit what is left of it, and nats.js then pulls again only after two missed idle
 * heartbeats (half a minute of standing still under load). A count bounds memory all the same
 * (each message is at most MAX_BATCH_BYTES), and what bounds a consumer's backlog in memory is
 * its max_ack_pending (setup.ts).
 */
export const PREFETCH_MESSAGES = 16;

/** A pull lasts this long; any pull that goes quiet is replaced within it. */
export const PULL_EXPIRES_MS = 10_000;

export interface PackedEvent {
  id: string;
  payload: Uint8Array;
  traceHeaders: Record<string, string>;
}

/** One event of a delivery, whether it came alone or in a batch. */
export interface UnpackedEvent {
  id: string;
  data: Uint8Array;
  /** The context of the transaction that wrote the event: its consumer span is a child of it. */
  parent: Context;
}

/** Splits events (of one subject, in order) into batches that respect both limits. */
export function chunkEvents<T extends { payload: Uint8Array }>(events: T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const event of events) {
    if (current.length > 0 && (current.length >= MAX_BATCH_EVENTS || bytes + event.payload.length > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += event.payload.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function packEvents(events: PackedEvent[]): Uint8Array {
  return encodeMessage(busEnvelope.EventBatch, {
    events: events.map((e) => ({ id: e.id, traceHeaders: e.traceHeaders, payload: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength) })),
  });
}

/**
 * The events a delivery carries: a batch's, or the message itself when it came alone (as
 * anything published straight to JetStream does), identified by its Nats-Msg-Id. A batch that
 * does not decode can never be handled: it is poison.
 */
export function unpackEvents(msg: JsMsg): UnpackedEvent[] {
  if (!msg.headers?.get(BATCH_HEADER)) {
    return [{ id: msg.headers?.get('Nats-Msg-Id') || `${msg.info.stream}:${msg.seq}`, data: msg.data, parent: contextFromNatsHeaders(msg.headers) }];
  }
  let batch: busEnvelope.EventBatch;
  try {
    batch = busEnvelope.EventBatch.decode(msg.data);
  } catch (err) {
    throw new PoisonMessageError(`undecodable event batch: ${(err as Error).message}`);
  }
  return batch.events.map((e) => ({ id: e.id, data: e.payload, parent: contextFromRecord(e.traceHeaders) }));
}
