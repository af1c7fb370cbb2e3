import { signToken } from '@sabia/auth';
import { billing } from '@sabia/contracts';
import { UnavailableError } from '@sabia/errors';
import { callUnary, createClient } from '@sabia/grpc-kit';
import type { ReservePort } from '../messages/send-sms';

/**
 * The reservation port over gRPC, as the `sending` service identity. If billing cannot be
 * reached the send fails UNAVAILABLE and nothing is stored: we never accept what we could
 * not reserve.
 */
export function billingReserve(address: string, secret: string): { reserve: ReservePort; close(): void } {
  const client = createClient(billing.BillingServiceClient, address);
  let token: { value: string; expires: number } | undefined;
  const serviceToken = async () => {
    if (!token || token.expires < Date.now()) {
      token = { value: await signToken(secret, { kind: 'service', service: 'sending' }, 3600), expires: Date.now() + 3_000_000 };
    }
    return token.value;
  };
  return {
    async reserve(input) {
      let res: billing.ReserveResponse;
      try {
        res = await callUnary(client, client.reserve, {
          accountId: input.accountId,
          subaccountId: input.subaccountId,
          messageId: input.messageId,
          parts: input.parts,
          country: input.country,
        }, { token: await serviceToken(), deadlineMs: 3_000 });
      } catch (err) {
        throw new UnavailableError(`billing is unavailable, message not accepted; retry with the same idempotency_key (${(err as Error).message})`);
      }
      switch (res.outcome) {
        case billing.ReserveOutcome.RESERVE_OUTCOME_RESERVED:
          return 'reserved';
        case billing.ReserveOutcome.RESERVE_OUTCOME_QUOTA_BLOCKED:
          return 'quota_blocked';
        case billing.ReserveOutcome.RESERVE_OUTCOME_NO_CREDIT:
          return 'no_credit';
        default:
          throw new Error(`billing answered an unknown reservation outcome ${res.outcome}`);
      }
    },
    close: () => client.close(),
  };
}
