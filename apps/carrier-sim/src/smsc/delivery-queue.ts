import type smpp from 'smpp';
import type { Logger } from 'pino';

/** One deliver_sm the SMSC owes an ESME: a delivery receipt or a mobile-originated message. */
export interface Delivery {
  kind: 'receipt' | 'mo';
  /** deliver_sm fields, without sequence_number (the session assigns it per attempt). */
  fields: Record<string, unknown>;
}

/** One try at handing a delivery over; finish gets the resp's command_status, or undefined if lost. */
export interface Attempt {
  fields?: Record<string, unknown>;
  finish(commandStatus: number | undefined): void;
}

export interface DeliveryQueueOptions<D extends Delivery> {
  /** Bound receiver-capable sessions, in a stable order. */
  receivers(): readonly smpp.Session[];
  startAttempt(delivery: D): Attempt;
  onDelivered(delivery: D): void;
  logger: Logger;
  /** Unacknowledged deliver_sm allowed per session, like an SMSC's outbound window. */
  window: number;
  redeliveryDelayMs: number;
  responseTimeoutMs: number;
}

interface InFlight {
  attempt: Attempt;
  timer: NodeJS.Timeout;
}

/**
 * Deliveries are never dropped (receipts are the second-level status, DESIGN §2.4): they wait
 * while no receiver is bound, and a refused, timed-out or cut-off deliver_sm is offered again.
 * So an ESME may see a receipt twice, as with real SMSCs; it must dedupe by receipted_message_id.
 */
export class DeliveryQueue<D extends Delivery = Delivery> {
  private readonly waiting: D[] = [];
  private readonly inFlight = new Map<smpp.Session, Map<D, InFlight>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private cursor = 0;
  private closed = false;

  constructor(private readonly options: DeliveryQueueOptions<D>) {}

  get size(): number {
    let flying = 0;
    for (const flights of this.inFlight.values()) flying += flights.size;
    return this.waiting.length + flying + this.retryTimers.size;
  }

  enqueue(delivery: D): void {
    if (this.closed) return;
    this.waiting.push(delivery);
    this.pump();
  }

  /** Sends what is waiting to receivers with room in their window. Call when one binds. */
  pump(): void {
    while (!this.closed && this.waiting.length > 0) {
      const session = this.nextSession();
      if (!session) return;
      const delivery = this.waiting.shift();
      if (delivery) this.send(session, delivery);
    }
  }

  /** Whatever the session had not acknowledged goes back to the front of the queue. */
  sessionClosed(session: smpp.Session): void {
    const flights = this.inFlight.get(session);
    this.inFlight.delete(session);
    if (!flights) return;
    const lost = [...flights.entries()];
    for (const [, flight] of lost) {
      clearTimeout(flight.timer);
      flight.attempt.finish(undefined);
    }
    this.waiting.unshift(...lost.map(([delivery]) => delivery));
    this.pump();
  }

  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const flights of this.inFlight.values()) {
      for (const flight of flights.values()) {
        clearTimeout(flight.timer);
        flight.attempt.finish(undefined);
      }
    }
    this.inFlight.clear();
  }

  // Round robin over receivers that can take one more PDU.
  private nextSession(): smpp.Session | undefined {
    const receivers = this.options.receivers();
    for (let i = 0; i < receivers.length; i++) {
      const session = receivers[(this.cursor + i) % receivers.length];
      if (!session?.socket.writable) continue;
      if ((this.inFlight.get(session)?.size ?? 0) >= this.options.window) continue;
      this.cursor = (this.cursor + i + 1) % receivers.length;
      return session;
    }
    return undefined;
  }

  private send(session: smpp.Session, delivery: D): void {
    let flights = this.inFlight.get(session);
    if (!flights) {
      flights = new Map();
      this.inFlight.set(session, flights);
    }
    const attempt = this.options.startAttempt(delivery);
    // A resp that never comes would hold a window slot forever; treat it as lost and retry.
    const timer = setTimeout(() => this.settle(session, delivery, undefined), this.options.responseTimeoutMs);
    flights.set(delivery, { attempt, timer });
    const written = session.deliver_sm({ ...delivery.fields, ...attempt.fields }, (resp) =>
      this.settle(session, delivery, resp.command_status),
    );
    if (!written) this.settle(session, delivery, undefined);
  }

  private settle(session: smpp.Session, delivery: D, commandStatus: number | undefined): void {
    const flight = this.inFlight.get(session)?.get(delivery);
    // Already settled: a late resp after a timeout, or the session closed first.
    if (!flight) return;
    this.inFlight.get(session)?.delete(delivery);
    clearTimeout(flight.timer);
    flight.attempt.finish(commandStatus);
    if (commandStatus === 0) {
      this.options.onDelivered(delivery);
    } else {
      this.options.logger.warn({ kind: delivery.kind, commandStatus }, 'deliver_sm not acknowledged; will retry');
      this.retryLater(delivery);
    }
    this.pump();
  }

  private retryLater(delivery: D): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.enqueue(delivery);
    }, this.options.redeliveryDelayMs);
    this.retryTimers.add(timer);
  }
}
