// `npm run bench:ledger [-- --pairs N --tenants T --batch B]`: reserve + post pairs through the
// billing ledger on real Postgres (durable commits), in batches as the services do them:
// ReserveBatch for B messages of one tenant, then one settlement transaction posting them.
// T tenants run at once (one tenant's reservations queue on its account row by design).
// Prints pairs/s, then checks every invariant: balances equal their transfers, nothing is
// left pending, no prepaid balance is negative, no part is settled twice.
import { migratedDatabase } from '@sabia/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reserveBatch } from '../apps/billing/src/ledger/reserve-batch';
import { settleMessages } from '../apps/billing/src/ledger/settle';
import { topUp } from '../apps/billing/src/ledger/top-up';
import { runBench } from './run-bench';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '100000' }, tenants: { type: 'string', default: '4' }, batch: { type: 'string', default: '5000' } } });
const PAIRS = Number(values.pairs);
const TENANTS = Number(values.tenants);
const BATCH = Number(values.batch);

async function main() {
  console.log(`Sabiá ledger benchmark: ${PAIRS} reserve+post pairs, ${TENANTS} tenants at once, batches of ${BATCH}`);
  const db = await migratedDatabase('billing', join(__dirname, '../apps/billing/drizzle'), TENANTS * 2);
  try {
    const tenants = Array.from({ length: TENANTS }, (_, i) => `bench-${i}`);
    for (const t of tenants) await topUp(db.db, { tenantId: t, amount: BigInt(PAIRS) * 10n, currency: 'BRL', idempotencyKey: 'bench' });
    let done = 0;
    const started = performance.now();
    const progress = setInterval(() => process.stdout.write(`\r  ${done}/${PAIRS} pairs…`), 500);
    await Promise.all(
      tenants.map(async (tenantId, w) => {
        const share = Math.floor(PAIRS / TENANTS) + (w < PAIRS % TENANTS ? 1 : 0);
        for (let sent = 0; sent < share; sent += BATCH) {
          const items = Array.from({ length: Math.min(BATCH, share - sent) }, () => ({ messageId: randomUUID(), parts: 1, partPrice: 5n, priceId: 'bench' }));
          const outcomes = await reserveBatch(db.db, { tenantId, items, currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });
          if (outcomes.some((o) => o !== 'reserved')) throw new Error(`reservation refused: ${outcomes.find((o) => o !== 'reserved')}`);
          await db.db.transaction((tx) => settleMessages(tx, new Map(items.map((i) => [i.messageId, 'post' as const]))));
          done += items.length;
        }
      }),
    );
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    console.log(`\r  ${PAIRS}/${PAIRS} pairs in ${seconds.toFixed(1)} s`);

    const { rows: [inv] } = await db.pool.query(`select
      (select count(*) from billing.accounts a where a.kind like 'customer_%' and a.debits_posted <> coalesce((select sum(amount) from billing.transfers t where t.debit_account_id = a.id and t.kind = 'post_pending'), 0))::int as posted_mismatch,
      (select count(*) from billing.transfers p where p.kind = 'pending' and not exists (select 1 from billing.transfers s where s.pending_id = p.id))::int as left_pending,
      (select count(*) from billing.accounts where kind = 'customer_prepaid' and credits_posted - debits_posted - debits_pending < 0)::int as negative,
      (select count(*) from (select pending_id from billing.transfers where pending_id is not null group by 1 having count(*) > 1) d)::int as settled_twice,
      (select coalesce(sum(debits_pending), 0)::bigint from billing.accounts where kind like 'customer_%') as pending_sum`);
    console.log('\n  figure                              value');
    console.log('  ──────────────────────────────────  ─────────────────────');
    console.log(`  reserve + post pairs                ${(PAIRS / seconds).toFixed(0)} pairs/s (target ≥ 20,000)`);
    console.log(`  accounts whose posted sum differs   ${inv.posted_mismatch}`);
    console.log(`  reservations left pending           ${inv.left_pending} (pending balance ${inv.pending_sum})`);
    console.log(`  prepaid balances below zero         ${inv.negative}`);
    console.log(`  parts settled twice                 ${inv.settled_twice}`);
    if (inv.posted_mismatch || inv.left_pending || inv.negative || inv.settled_twice || Number(inv.pending_sum)) throw new Error('an invariant does not hold');
  } finally {
    await db.drop();
  }
}

runBench(main);
