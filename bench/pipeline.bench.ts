// `npm run bench [-- --messages N --concurrency C]`: pushes N SMS through the real pipeline
// (sending → billing → SMPP carrier-sim → receipts → status-tracking → billing) as separate
// processes on real Postgres and NATS, and prints throughput and latency percentiles.
// Latencies: SendSms as the caller sees it; end to end = accepted → delivered_status recorded.
import { sentStatusName } from '@sabia/status-codes';
import { startPipeline } from '@sabia/testing';
import { parseArgs } from 'node:util';
import { percentile, runBench } from './run-bench';
import pg from 'pg';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' } },
});
const N = Number(values.messages);
const C = Number(values.concurrency);

const pct = percentile;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const progress = (label: string, done: number) => process.stdout.write(`\r  ${label}: ${done}/${N}   `);

async function main() {
  console.log(`Sabiá pipeline benchmark: ${N} messages, ${C} concurrent callers`);
  console.log('  starting carrier-sim, billing, status-tracking and sending…');
  const p = await startPipeline({ otlp: false });
  const db = new pg.Pool({ connectionString: p.db.url, max: 2 });
  try {
    const token = await p.tokenFor('bench');
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < N) {
          const i = next++;
          const t0 = performance.now();
          await p.call(p.clients.sending, p.clients.sending.sendSms, {
            to: `+55119${String(80000000 + i).padStart(8, '0')}`,
            text: `Sabiá bench message ${i}`,
            idempotencyKey: `bench-${i}`,
            correlationId: '',
            callbackUrl: '',
            validitySeconds: 0,
          }, { token });
          latencies.push(performance.now() - t0);
          if (latencies.length % 200 === 0) progress('accepted', latencies.length);
        }
      }),
    );
    const acceptedIn = (performance.now() - started) / 1000;
    progress('accepted', N);
    console.log();

    let delivered = 0;
    let lastChange = performance.now();
    while (delivered < N) {
      await new Promise((r) => setTimeout(r, 250));
      const { rows } = await db.query('select count(*)::int as n from status.message_status where delivered_status is not null');
      if (rows[0].n !== delivered) lastChange = performance.now();
      delivered = rows[0].n;
      progress('delivered', delivered);
      // A stall is a lost message, not slowness: fail loudly instead of waiting forever.
      if (performance.now() - lastChange > 30_000) throw new Error(`stalled: only ${delivered}/${N} delivered, none for 30 s`);
    }
    const totalIn = (performance.now() - started) / 1000;
    console.log();

    const { rows: e2e } = await db.query(`
      select extract(epoch from (s.delivered_at - m.created_at)) * 1000 as ms
      from sending.messages m join status.message_status s on s.message_id = m.id order by 1`);
    const endToEnd = e2e.map((r) => Number(r.ms));
    const { rows: outcome } = await db.query('select sent_status, count(*)::int as n from status.message_status group by 1');
    const { rows: billed } = await db.query(`select count(*)::int as n from billing.transfers where kind = 'post_pending'`);
    latencies.sort((a, b) => a - b);

    console.log('\n  figure                         value');
    console.log('  ─────────────────────────────  ──────────────');
    console.log(`  accepted (SendSms)             ${(N / acceptedIn).toFixed(0)} msg/s`);
    console.log(`  end to end (to delivered)      ${(N / totalIn).toFixed(0)} msg/s`);
    console.log(`  SendSms latency p50/p95/p99    ${ms(pct(latencies, 50))} / ${ms(pct(latencies, 95))} / ${ms(pct(latencies, 99))}`);
    console.log(`  end-to-end latency p50/p95/p99 ${ms(pct(endToEnd, 50))} / ${ms(pct(endToEnd, 95))} / ${ms(pct(endToEnd, 99))}`);
    console.log(`  first level                    ${outcome.map((r) => `${r.n}× ${sentStatusName(r.sent_status)}`).join(', ')}`);
    console.log(`  billed parts (posted)          ${billed[0].n}`);
    if (billed[0].n !== N) throw new Error(`billed ${billed[0].n} parts for ${N} delivered single-part messages`);
  } finally {
    await db.end();
    await p.stop();
  }
}

runBench(main);
