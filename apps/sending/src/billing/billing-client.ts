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
    const res = await call(client.reserveBatch, input, input.items.length > 100 ? 15_000 : 3_000);
    return res.outcomes.map(outcome);
  };
  const reserveOne: ReservePort = async (input) => outcome((await call(client.reserve, input)).outcome);
  // Group commit: SendSms calls arriving while earlier reservations are on their way reserve together,
  // one ReserveBatch per account and subaccount (one round trip, one billing transaction, one
  // lock of the account row) instead of one Reserve each, queueing on that row. A lone call
  // still takes the plain Reserve. One group's failure fails only its own calls.
  const reservations = new MicroBatcher<Parameters<ReservePort>[0], Reserved | Error>(
    async (items) => {
      const groups = new Map<string, number[]>();
      items.forEach((item, i) => {
        const key = `${item.accountId}\u0000${item.subaccountId}`;
        const group = groups.get(key);
        if (group) group.push(i);
        else groups.set(key, [i]);
      });
      const results: Array<Reserved | Error> = [];
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          try {
            const first = items[indexes[0]!]!;
            const outcomes =
              indexes.length === 1
                ? [await reserveOne(first)]
                : await reserveBatch({ accountId: first.accountId, subaccountId: first.subaccountId, items: indexes.map((i) => items[i]!) });
            indexes.forEach((i, k) => (results[i] = outcomes[k]!));
          } catch (err) {
            for (const i of indexes) results[i] = err as Error;
          }
        }),
      );
      return results;
    },
    // One at a time: an account's reservations queue on its row in billing anyway, so a
    // second batch in flight would only wait there, holding a connection.
    { maxBatch: 500, maxInFlight: 1 },
  );
  const reserve: ReservePort = async (input) => {
    const result = await reservations.add(input);
    if (result instanceof Error) throw result;
    return result;
  };
  const release = async (messageIds: string[]) => (await call(client.release, { messageIds })).parts;
  return { reserve, reserveBatch, release, close: () => client.close() };
}
