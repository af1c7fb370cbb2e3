// Reservations made ahead, across the real services: after one SendSms of a key was reserved the
// ordinary way, sending's pool holds ids billing already reserved, the next one-part sends are
// stored under them, each is billed exactly once when the carrier accepts it, and what the pool
// still holds goes back to the customer when sending stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, waitFor, type Pipeline } from '@sabia/testing';

let p: Pipeline;
let admin: string;

beforeAll(async () => {
  p = await startPipeline({ otlp: false });
  admin = await p.tokenFor('pool-co');
  await p.call(p.clients.billing, p.clients.billing.topUp, { accountId: '', amount: 1_000n, idempotencyKey: 'start' }, { token: admin });
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const balance = () => p.call(p.clients.billing, p.clients.billing.getBalance, {}, { token: admin });
const transfersOf = async (id: string) => (await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: id }, { token: admin })).transfers;
/** Billing's reservations made ahead for this account (usable_until set), and whether each was settled. */
const aheadOf = (ids: string[]) =>
  p.query(
    `select p.message_id, exists(select 1 from billing.transfers s where s.pending_id = p.id) as settled
     from billing.transfers p where p.kind = 'pending' and p.usable_until is not null and p.message_id = any($1::text[])`,
    [ids],
  ) as Promise<Array<{ message_id: string; settled: boolean }>>;

describe('reservations made ahead', () => {
  it('stores the next single sends under ids billing reserved ahead, bills each once, and gives back the rest at shutdown', async () => {
    const first = (await p.sendSms(admin, { to: '+5511987650001' })).message!;
    // The pool fills in the background: billing holds reservations made ahead for this account.
    await waitFor(async () => {
      const rows = (await p.query(`select count(*)::int as n from billing.transfers where tenant_id = 'pool-co' and usable_until is not null`)) as Array<{ n: number }>;
      return rows[0]!.n > 0 ? true : undefined;
    }, 'the pool to fill');
    // Billing committed them; sending puts them in its pool when the answer arrives, a moment later.
    await new Promise((r) => setTimeout(r, 300));

    const next = await Promise.all([2, 3, 4, 5, 6].map(async (n) => (await p.sendSms(admin, { to: `+551198765000${n}` })).message!));
    const ids = [first, ...next].map((m) => m.id);
    expect(new Set(ids).size).toBe(6);
    // The five were reserved before they existed (made ahead); the first the ordinary way.
    expect((await aheadOf(ids)).map((r) => r.message_id).sort()).toEqual(next.map((m) => m.id).sort());

    // Each is billed exactly once: its pending part posted when the carrier accepted it.
    for (const id of ids) {
      const kinds = await waitFor(async () => {
        const t = (await transfersOf(id)).map((x) => x.kind).sort();
        return t.length === 2 ? t : undefined;
      }, `the settlement of ${id}`);
      expect(kinds).toEqual(['pending', 'post_pending']);
    }
    const price = (await transfersOf(first.id)).find((t) => t.kind === 'post_pending')!.amount;

    // Sending stops: everything its pool still held is released, nothing else is.
    await p.processes.get('sending')!.stop();
    const after = await balance();
    expect(after.pending).toBe(0n);
    expect(after.available).toBe(1_000n - 6n * price);
    const open = await p.query(
      `select count(*)::int as n from billing.transfers p
       where p.tenant_id = 'pool-co' and p.kind = 'pending' and not exists (select 1 from billing.transfers s where s.pending_id = p.id)`,
    );
    expect(open).toEqual([{ n: 0 }]);
    const leftovers = await p.query(`select count(*)::int as n from sending.pooled_reservations`);
    expect(leftovers).toEqual([{ n: 0 }]);
  }, 60_000);
});
