// `npm run bench:sending [-- --batches 10 --batch-warmup 2 --concurrency 2 --rate 500 --warmup 120 --seconds 60 --floor]`: the acceptance side of
// sending, with everything durable (Postgres, the outbox, billing's reservations), measured
// with no carrier attached so nothing else competes for the two cores:
//   1. SendBatch of 10,000 recipients, N times, two at a time by default, after two more to warm
//      up: recipients accepted and stored per second (wall clock, requests built before it starts);
//   2. SendSms at a fixed arrival rate (open loop: requests are sent on schedule whether or not
//      earlier ones returned), p50/p95/p99 latency as the caller sees it, after a warm-up at the
//      same rate whose figures are printed apart.
// Each 10-s window's p99 is printed beside the share of the machine's CPU time its host took
// that window (steal, from /proc/stat): on a shared VM that share moves from 0 to 30 % within
// minutes, and a window's tail moves with it, for this service and for the machine floor alike.
import { startPipeline } from '@sabia/testing';
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { cpuPerUnit, startCpuMeter } from './cpu-meter';
import { mobile, startLoadGenerator, type AtRateResult } from './load-generator';
import { startFloorServer } from './machine-floor';
import pg from 'pg';
import { percentile, progressLine, runBench } from './run-bench';
import { startStatementCosts } from './statement-costs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '10' },
    /**
     * SendBatch calls in flight at once, one customer's campaigns side by side. Two keep both
     * cores busy (throughput); 1 measures one batch's own pace, which leaves a core idle while
     * the batch waits on its slowest step.
     */
    concurrency: { type: 'string', default: '2' },
    /**
     * SendBatch calls before the measured ones, at the same concurrency, reported apart: a fresh
     * service runs its first batches cold (V8 compiling the batch path, billing's and the
     * database's first plans), at a third to half of its pace, and the target is about a
     * service that runs for days. 0 counts them in.
     */
    'batch-warmup': { type: 'string', default: '2' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    /**
     * Seconds of SendSms at the same rate before the measured ones (0: none), reported apart.
     * Long enough to measure the state a service that runs for days lives in. A fresh service
     * is slow for its first ten seconds or so (V8 still compiling its hot paths), then runs
     * with no major collection at all until V8's memory reducer starts one about 100 s after
     * the last one at start-up (its watchdog; 135-200 ms of pause on the test VM, mostly freeing
     * what every call since left behind: Node's http2 header strings, weakly held native
     * objects). From then on a major collection comes every 6-10 s (15-28 ms each). A warm-up
     * that ends before that first one measures a state the service leaves for good after two
     * minutes, and flatters the tail.
     */
    warmup: { type: 'string', default: '120' },
    /**
     * The SendSms load generator: HTTP/2 frames written straight to a socket (h2, the default,
     * as ghz or h2load would; 0.12-0.18 ms of CPU a call and no GC pause over a millisecond on
     * the test VM, bench/grpc-h2-client.ts) or grpc-js (the services' own client library,
     * 0.5-0.6 ms of CPU a call, taken from the two cores the services run on, and its pauses).
     */
    client: { type: 'string', default: 'h2' },
    /**
     * Also measure this machine's floor at the same rate, with the same client: a bare grpc-js
     * server whose one method reads a row and commits an insert (bench/machine-floor.ts). The
     * same VM's speed moves from hour to hour; SendSms's tail beside the floor's does not move as much.
     */
    floor: { type: 'boolean', default: false },
  },
});
const BATCHES = Number(values.batches);
const BATCH_WARMUP = BATCHES > 0 ? Number(values['batch-warmup']) : 0;
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const CLIENT = values.client === 'grpc-js' ? 'grpc-js' : 'h2';

const pct = percentile;
const byWindow = (w: number[]) => w.map((v) => v.toFixed(0)).join(' ');
/**
 * The host's share of each window's CPU time, beside that window's tail: on a shared VM the
 * host runs other guests on our CPUs now and then, and every process stalls with them.
 */
const stolenByWindow = (run: Pick<AtRateResult, 'windowStolen' | 'stolen'>) =>
  run.stolen === null ? 'not measured (no /proc/stat)' : `${run.windowStolen.map((v) => v?.toFixed(1) ?? '?').join(' ')} (${run.stolen.toFixed(1)} over the run)`;

async function main() {
  console.log(`Sabiá sending benchmark: ${BATCHES} × SendBatch(10,000) after ${BATCH_WARMUP} to warm up, ${CONCURRENCY} at a time, then SendSms at ${RATE}/s for ${WARMUP} s (warm-up) + ${SECONDS} s`);
  console.log('  starting billing, status-tracking and sending (no carrier)…');
  const p = await startPipeline({ otlp: false, carrier: false });
  const db = new pg.Pool({ connectionString: p.db.url, max: 1 });
  try {
    const token = await p.tokenFor('bench');
    const call = <Req, Res>(method: Parameters<typeof p.call<Req, Res>>[1], req: Req, client = p.clients.sending) =>
      p.call(client, method, req, { token, deadlineMs: 60_000 });

    // Warm-up: first calls pay for connection set-up and lazy initialisation.
    await call(p.clients.sending.sendSms, { to: mobile(0), text: 'warm-up', idempotencyKey: 'warm', correlationId: '', callbackUrl: '', validitySeconds: 0 });

    // Requests built before the clock starts: the load generator's own work is not the service's.
    const requests = Array.from({ length: BATCH_WARMUP + BATCHES }, (_, b) => ({
      text: 'Olá {{n}}, seu pedido saiu para entrega',
      recipients: Array.from({ length: 10_000 }, (_, i) => ({ to: mobile(b * 10_000 + i), text: '', variables: { n: String(i) }, correlationId: '' })),
      idempotencyKey: `batch-${b}`,
      correlationId: '',
      callbackUrl: '',
      validitySeconds: 0,
    }));
    /** These batches, CONCURRENCY at a time: wall-clock seconds and each call's time. */
    const runBatches = async (list: typeof requests, label: string) => {
      const times: number[] = [];
      const progress = progressLine();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, list.length) }, async () => {
          while (next < list.length) {
            const b = next++;
            const t0 = performance.now();
            const res = await call(p.clients.sending.sendBatch, list[b]!);
            times.push(performance.now() - t0);
            if (res.accepted !== 10_000) throw new Error(`${label} ${b}: ${res.accepted} accepted, ${res.refused} refused`);
            progress.show(`${label} ${times.length}/${list.length}: ${(10_000 / (times.at(-1)! / 1000)).toFixed(0)} recipients/s for the last one`);
          }
        }),
      );
      progress.done();
      return { seconds: (performance.now() - started) / 1000, times };
    };
    const coldBatches = BATCH_WARMUP > 0 ? await runBatches(requests.slice(0, BATCH_WARMUP), 'SendBatch warm-up') : undefined;
    const statements = await startStatementCosts(db);
    const batchCpu = startCpuMeter(p.processes);
    const { seconds: batchTotal, times: batchTimes } = await runBatches(requests.slice(BATCH_WARMUP), 'SendBatch');
    const batchCpuUsed = batchCpu.stop();
    // Without pg_stat_statements, the line saying so is printed once, with the last table.
    const batchStatements = BATCHES > 0 && (statements.available || SECONDS <= 0) ? await statements.lines((BATCHES * 10_000) / 1000, '1,000 SendBatch recipients') : [];

    // The SendSms load generator runs in a process of its own (see load-generator.ts); its CPU
    // is counted apart from the benchmark's.
    const generator = startLoadGenerator();
    const metered = new Map<string, { child: ChildProcess }>([...p.processes, ['load generator', { child: generator.child }]]);
    const atRate = (target: 'sendSms' | 'floor', address: string, seconds: number, label: string, keyPrefix: string) =>
      generator.run({ target, address, token, client: CLIENT, rate: RATE, seconds, keyPrefix, label });
    // The first seconds at full rate run cold: V8 has not optimised the hot paths yet and the
    // reservation pool is still growing. They are measured apart, then the steady state.
    const cold = SECONDS > 0 && WARMUP > 0 ? await atRate('sendSms', p.addresses.sending, WARMUP, `SendSms warm-up (${WARMUP} s)`, 'warm') : undefined;
    await statements.reset();
    const smsCpu = startCpuMeter(metered);
    const sms = SECONDS > 0 ? await atRate('sendSms', p.addresses.sending, SECONDS, 'SendSms', 'sms') : undefined;
    const smsCpuUsed = smsCpu.stop();

    // After SendSms, so that the services' own warm-up is not spent beside it.
    let floor: (AtRateResult & { cpu: string }) | undefined;
    if (values.floor && SECONDS > 0) {
      const server = await startFloorServer(p.db.url);
      try {
        // As long as SendSms's: the floor's server goes through the same collections (see --warmup).
        await atRate('floor', server.address, WARMUP, 'machine floor warm-up', 'warm');
        const meter = startCpuMeter(new Map([['floor server', { child: server.child }], ['load generator', { child: generator.child }]]));
        const measured = await atRate('floor', server.address, SECONDS, 'machine floor', 'floor');
        floor = { ...measured, cpu: cpuPerUnit(meter.stop(), measured.total) };
      } finally {
        server.stop();
      }
    }
    generator.stop();

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const spread = (sorted: number[]) => [50, 95, 99].map((p) => ms(pct(sorted, p))).join(' / ');
    // Beyond p99 is where a garbage collector's pause shows (sending's major collections).
    const farTail = (sorted: number[]) => `${ms(pct(sorted, 99.9))} / ${ms(sorted.at(-1) ?? NaN)}`;
    console.log('\n  figure                              value');
    console.log('  ──────────────────────────────────  ────────────────────');
    if (coldBatches) console.log(`  SendBatch first ${BATCH_WARMUP} (cold)          ${((BATCH_WARMUP * 10_000) / coldBatches.seconds).toFixed(0)} recipients/s (not in the figures below)`);
    if (BATCHES > 0) console.log(`  SendBatch accepted and stored       ${((BATCHES * 10_000) / batchTotal).toFixed(0)} recipients/s, ${CONCURRENCY} batch${CONCURRENCY > 1 ? 'es' : ''} at a time (target ≥ 20,000)`);
    if (BATCHES > 0) console.log(`  SendBatch(10,000) latency min/max   ${ms(Math.min(...batchTimes))} / ${ms(Math.max(...batchTimes))}`);
    if (BATCHES > 0) console.log(`  SendBatch CPU per 1,000 recipients  ${cpuPerUnit(batchCpuUsed, (BATCHES * 10_000) / 1000)}`);
    if (sms) {
      const { latencies, windowP99, errors, total, achieved } = sms;
      if (cold) console.log(`  SendSms first ${WARMUP} s p50/p99           ${ms(pct(cold.latencies, 50))} / ${ms(pct(cold.latencies, 99))}, ${cold.errors} errors (cold: not in the figures below)`);
      console.log(`  SendSms offered / achieved rate     ${RATE}/s / ${achieved.toFixed(0)}/s, ${errors} errors (client: ${CLIENT === 'h2' ? 'plain HTTP/2' : 'grpc-js'})`);
      console.log(`  SendSms latency p50/p95/p99         ${spread(latencies)} (target p99 ≤ 15 ms)`);
      console.log(`  SendSms latency p99.9 / max         ${farTail(latencies)}`);
      console.log(`  SendSms CPU per call                ${cpuPerUnit(smsCpuUsed, total)}`);
      console.log(`  SendSms p99 per 10 s, in ms         ${cold ? `warm-up ${byWindow(cold.windowP99)} | ` : ''}measured ${byWindow(windowP99)}`);
      console.log(`  CPU stolen by the VM's host, %      ${cold ? `warm-up ${stolenByWindow(cold)} | ` : ''}measured ${stolenByWindow(sms)}`);
      if (floor) {
        console.log(`  machine floor p50/p95/p99           ${spread(floor.latencies)}, ${floor.errors} errors (gRPC unary: a read + a committed insert)`);
        console.log(`  machine floor p99.9 / max           ${farTail(floor.latencies)}`);
        console.log(`  machine floor CPU per call          ${floor.cpu}`);
        console.log(`  machine floor p99 per 10 s, in ms   ${byWindow(floor.windowP99)}`);
        console.log(`  CPU stolen by the VM's host, %      ${stolenByWindow(floor)}`);
      }
    }
    for (const line of batchStatements) console.log(line);
    if (sms) await statements.print(sms.total, 'SendSms call');
  } finally {
    await db.end();
    await p.stop();
  }
}

runBench(main);
