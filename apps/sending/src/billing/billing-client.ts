import { signToken } from '@sabia/auth';
import { billing } from '@sabia/contracts';
import { UnavailableError } from '@sabia/errors';
import { callUnary, createClient } from '@sabia/grpc-kit';
import type { ReserveBatchPort } from '../messages/send-batch';
import type { ReservePort } from '../messages/send-sms';

/**
 * Billing's reservation ports over gRPC, as the `sending` service identity. If billing cannot
 * be reached the send fails UNAVAILABLE and nothing is stored: we never accept what we could
 * not reserve.
 */
export function billingClient(address: string, secret: string) {
  const client = createClient(billing.BillingServiceClient, address);
  let token: { value: string; expires: number } | undefined;
  const serviceToken = async () => {
    if (!token || token.expires < Date.now()) {
      token = { value: await signToken(secret, { kind: 'service', service: 'sending' }, 3600), expires: Date.now() + 3_000_000 };
    }
    return token.value;
  };
  const call = async <Req, Res>(method: Parameters<typeof callUnary<Req, Res>>[1], req: Req, deadlineMs = 3_000): Promise<Res> => {
    try {
      return await callUnary(client, method, req, { token: await serviceToken(), deadlineMs });
    } catch (err) {
      throw new UnavailableError(`billing is unavailable, nothing was accepted; retry with the same idempotency_key (${(err as Error).message})`);
    }
  };
  const outcome = (o: billing.ReserveOutcome) => {
    switch (o) {
      case billing.ReserveOutcome.RESERVE_OUTCOME_RESERVED:
        return 'reserved' as const;
      case billing.ReserveOutcome.RESERVE_OUTCOME_QUOTA_BLOCKED:
        return 'quota_blocked' as const;
      case billing.ReserveOutcome.RESERVE_OUTCOME_NO_CREDIT:
        return 'no_credit' as const;
      default:
        throw new Error(`billing answered an unknown reservation outcome ${o}`);
    }
  };

  const reserve: ReservePort = async (input) => outcome((await call(client.reserve, input)).outcome);
  const reserveBatch: ReserveBatchPort = async (input) => {
    const res = await call(client.reserveBatch, input, 15_000);
    return res.outcomes.map(outcome);
  };
  const release = async (messageIds: string[]) => (await call(client.release, { messageIds })).parts;
  return { reserve, reserveBatch, release, close: () => client.close() };
}
