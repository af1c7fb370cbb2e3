import type { ReserveBatchPort } from '../messages/send-batch';
import type { ReservePort } from '../messages/send-sms';

/** What sending needs from billing; gRPC in production (billing-client.ts), fakes in tests. */
export interface BillingPorts {
  reserve: ReservePort;
  reserveBatch: ReserveBatchPort;
  /** Voids the reservations of messages that will never be submitted. */
  release(messageIds: string[]): Promise<number>;
}
