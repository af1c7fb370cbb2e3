// The real world, over real SMPP (issue 4): SMSCs whose receipts overtake their submit_sm_resp,
// send receipts twice, or drop the bind mid-window. Every message must still reach its final
// status exactly once and be billed once.
import { DeliveredStatus, SentStatus } from '@sabia/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, waitFor, type Pipeline } from '@sabia/testing';

let p: Pipeline;
let token: string;

beforeAll(async () => {
  p = await startPipeline({
    otlp: false,
    profiles: {
      vivo: { receiptBeforeResponse: true, receiptDelayMs: 0 },
      claro: { duplicateReceiptShare: 1 },
      tim: { bindDropMeanSeconds: 0.4, submitDelayMs: 20 },
    },
  });
  token = await p.tokenFor('acme');
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const delivered = (id: string, timeoutMs = 30_000) => p.bothLevels(token, id, timeoutMs);

const sql = (query: string, params: unknown[] = []) => p.query(query, params);

const billedOnce = (id: string) =>
  waitFor(async () => {
    const { transfers } = await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: id }, { token });
    return transfers.length >= 2 ? transfers : undefined;
  }, `the settlement of ${id}`);

describe('SMSCs that misbehave', () => {
  it('matches a receipt that arrives before its submit_sm_resp (parked, then released)', async () => {
    const { message } = await p.sendSms(token, { to: '+5511987660001' });
    const status = await delivered(message!.id);
    expect([status.sentStatus, status.deliveredStatus]).toEqual([SentStatus.SENT_STATUS_SENT_SUCCESS, DeliveredStatus.DELIVERED_STATUS_DELIVERED_SUCCESS]);
    expect(await sql('select * from sending.early_receipts')).toEqual([]);
    expect((await billedOnce(message!.id)).map((t) => t.kind)).toEqual(['pending', 'post_pending']);
  });

  it('counts a duplicated receipt once', async () => {
    const { message } = await p.sendSms(token, { to: '+5521961230002' });
    await delivered(message!.id);
    // Both copies are in the history; the part's status and the message's changed once.
    await waitFor(async () => ((await sql(`select 1 from status.status_history where message_id = $1 and level = 2`, [message!.id])).length === 2 ? true : undefined), 'both receipts recorded');
    expect(await sql('select part, delivered_status from status.part_status where message_id = $1', [message!.id])).toEqual([{ part: 1, delivered_status: 4 }]);
    expect((await billedOnce(message!.id)).map((t) => t.kind)).toEqual(['pending', 'post_pending']);
  });

  it('brings every message to its final status exactly once while the carrier drops binds mid-window', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await p.sendSms(token, { to: `+55319512${String(10000 + i)}` })).message!.id);
    const statuses = await Promise.all(ids.map((id) => delivered(id, 60_000)));
    expect(statuses.every((s) => s.sentStatus === SentStatus.SENT_STATUS_SENT_SUCCESS)).toBe(true);
    const firstLevels = await sql(`select message_id, count(*)::int as n from status.status_history where level = 1 and message_id = any($1::uuid[]) group by 1`, [ids]);
    expect(firstLevels).toHaveLength(60);
    expect(firstLevels.every((r) => r.n === 1)).toBe(true);
    const parts = await sql(`select message_id, count(*)::int as n from sending.message_parts where message_id = any($1::uuid[]) group by 1`, [ids]);
    expect(parts.every((r) => r.n === 1)).toBe(true);
    const counts = (await (await fetch(`${p.simUrl}/counts`)).json()) as { binds: number };
    expect(counts.binds).toBeGreaterThan(8); // the TIM binds came back more than once
  }, 90_000);
});
