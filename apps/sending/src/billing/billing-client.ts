import { signToken } from '@sabia/auth';
import { billing } from '@sabia/contracts';
import { UnavailableError } from '@sabia/errors';
import { callUnary, createClient } from '@sabia/grpc-kit';
import { MicroBatcher } from '@sabia/runtime';
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
  type Reserved = Awaited<ReturnType<ReservePort>>;
  const outcome = (o: billing.ReserveOutcome): Reserved => {
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

  const reserveBatch: ReserveBatchPort = async (input) => {
    const res = await call(client.reserveBatch, { ...input, useWithinSeconds: input.useWithinSeconds ?? 0 }, input.items.length > 100 ? 15_000 : 3_000);
    return res.outcomes.map(outcome);
  };
  const reserveOne: ReservePort = async (input) => outcome((await call(client.reserve, input)).outcome);
  // Group commit: SendSms calls of one account and subaccount that arrive while its previous
  // reservation is on its way reserve together: one ReserveBatch (one round trip, one billing
  // transaction, one lock of the account row) instead of one Reserve each, queueing on that
  // row. A lone call still takes the plain Reserve. Each account has its own lane, one batch in
  // flight at a time (a second would only wait on the row), so an account whose row is busy —
  // behind a 10,000-recipient SendBatch, say — holds up no other account.
  const lanes = new Map<string, MicroBatcher<Parameters<ReservePort>[0], Reserved>>();
  const laneFor = (accountId: string, subaccountId: string) => {
    const key = `${accountId}\u0000${subaccountId}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = new MicroBatcher<Parameters<ReservePort>[0], Reserved>(
        async (items) => (items.length === 1 ? [await reserveOne(items[0]!)] : reserveBatch({ accountId, subaccountId, items })),
        { maxBatch: 500, maxInFlight: 1 },
      );
      lanes.set(key, lane);
    }
    return lane;
  };
  const reserve: ReservePort = (input) => laneFor(input.accountId, input.subaccountId).add(input);
  const release = async (messageIds: string[]) => (await call(client.release, { messageIds })).parts;
  return { reserve, reserveBatch, release, close: () => client.close() };
}
