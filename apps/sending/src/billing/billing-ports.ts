import type { ReserveBatchPort } from '../messages/send-batch';
import type { ReservePort, TakeReservedPort } from '../messages/send-sms';

/** What sending needs from billing; gRPC in production (billing-client.ts), fakes in tests. */
export interface BillingPorts {
  reserve: ReservePort;
  reserveBatch: ReserveBatchPort;
  /** Voids the reservations of messages that will never be submitted. */
  release(messageIds: string[]): Promise<number>;
  /** Reservations made ahead for single sends (reservation-pool.ts); without it every SendSms asks billing. */
  takeReserved?: TakeReservedPort;
}
