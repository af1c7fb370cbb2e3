// The end-to-end path's floor on this machine (`npm run bench:e2e -- --floor`): the same
// carrier-sim (an SMSC with receipts), the platform's own SMPP client (SmppBind) and callback
// client (safePost on a kept-alive ConnectionPool, Standard Webhooks signatures), the same
// receiver in the benchmark's process, and nothing else: no database, no events, no status
// logic, no billing. Per message: one submit_sm and its answer, one receipt and its answer, two
// signed POSTs. What that costs is the least the platform's path can cost here before anything
// is made durable, and its rate the most it could reach.
import { AddressPolicy, ConnectionPool, safePost, webhookHeaders } from '@sabia/webhooks';
import { createLogger } from '@sabia/logger';
import { parseReceipt } from '@sabia/smpp';
import { freePort, REPO_ROOT, spawnService, startHttpReceiver } from '@sabia/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type smpp from 'smpp';
import { SmppBind } from '../apps/sending/src/smpp/smpp-bind';
import { loadCarrierConfig } from '../apps/sending/src/routing/carrier-config';
import { cpuPerUnit, startCpuMeter } from './cpu-meter';
import { progressLine } from './run-bench';

/** The carriers both end-to-end benchmarks send to, and a destination of each by message number. */
export const BENCH_CARRIERS = ['vivo', 'claro', 'tim'];
const PREFIXES = ['99', '96', '95']; // Vivo, Claro, TIM
export const benchDestination = (i: number) => `+5511${PREFIXES[i % 3]}${String(i).padStart(7, '0')}`;
/** carrier-sim's profile for them in both: every message delivered, its receipt within 20 ms. */
export const BENCH_PROFILE = { receiptDelayMs: 0, receiptDelayMaxMs: 20 };
const SECRET = `whsec_${Buffer.from('sabia-floor-benchmark-secret-32b').toString('base64')}`;

export async function runPipelineFloor(opts: { messages: number; binds: number; window: number }): Promise<void> {
  const N = opts.messages;
  console.log(`Sabiá end-to-end floor: ${N} messages through carrier-sim and back as two signed callbacks, nothing stored`);
  const seen = { sent: 0, delivered: 0 };
  const receiver = await startHttpReceiver((req, res) => {
    const { type } = JSON.parse(req.body) as { type: string };
    if (type === 'message.sent') seen.sent++;
    else if (type === 'message.delivered') seen.delivered++;
    res.writeHead(204).end();
  });
  const url = `${receiver.base}/hook`;

  const [smppPort, httpPort] = await Promise.all([freePort(), freePort()]);
  const profiles = join(mkdtempSync(join(tmpdir(), 'sabia-floor-')), 'profiles.json');
  writeFileSync(profiles, JSON.stringify({ accounts: BENCH_CARRIERS.map((systemId) => ({ systemId, ...BENCH_PROFILE, sendsReceipts: true })) }));
  const sim = spawnService('carrier-sim', { SMPP_PORT: String(smppPort), HTTP_PORT: String(httpPort), PROFILES_FILE: profiles, LOG_LEVEL: 'info' });
  let client: ChildProcess | undefined;
  try {
    await sim.waitForOutput(/http control listening/);
    client = fork(__filename, ['client'], {
      env: { ...process.env, FLOOR_SMPP_ADDR: `127.0.0.1:${smppPort}`, FLOOR_URL: url, FLOOR_BINDS: String(opts.binds), FLOOR_WINDOW: String(opts.window) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const bound = new Promise<void>((resolve, reject) => {
      client!.once('message', () => resolve());
      client!.once('exit', (code) => reject(new Error(`the floor's client exited (${code}) before binding`)));
    });
    await bound;
    // Every process runs cold for its first seconds (V8 compiling the hot paths): a warm-up of
    // the same traffic first, not counted.
    const warmup = Math.min(5_000, Math.ceil(N / 5));
    await phase(client, seen, warmup, 'warm-up');
    const cpu = startCpuMeter(new Map([['carrier-sim', { child: sim.child }], ['floor client', { child: client }]]));
    const started = performance.now();
    await phase(client, seen, N, 'measured');
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.stop();
    console.log('\n  figure                               value');
    console.log('  ───────────────────────────────────  ─────────────────────');
    console.log(`  end to end, nothing stored           ${(N / seconds).toFixed(0)} msg/s`);
    console.log(`  CPU per message                      ${cpuPerUnit(used, N)}`);
    const left = 2000 / 3000 - (1000 * sum(used)) / N;
    console.log(`  left for the rest at 3,000 msg/s     ${left.toFixed(2)} ms of CPU per message (two cores: 0.67 ms a message in all), for storing, events, status and billing`);
  } finally {
    client?.kill('SIGKILL');
    await sim.stop();
    await receiver.close();
  }
}

const sum = (used: Map<string, number>) => [...used.values()].reduce((a, b) => a + b, 0);

/** Has the client send `count` messages and waits for both callbacks of each. */
async function phase(child: ChildProcess, seen: { sent: number; delivered: number }, count: number, label: string): Promise<void> {
  seen.sent = seen.delivered = 0;
  child.send({ count });
  let last = -1;
  let lastChange = performance.now();
  const progress = progressLine(90);
  while (seen.delivered < count || seen.sent < count) {
    await new Promise((r) => setTimeout(r, 250));
    const done = seen.sent + seen.delivered;
    if (done !== last) lastChange = performance.now();
    last = done;
    if (performance.now() - lastChange > 30_000) {
      if (!child.connected) throw new Error(`${label}: the floor's client exited at ${seen.sent} sent and ${seen.delivered} delivered callbacks`);
      child.send({ state: true });
      const state = await new Promise((resolve) => child.once('message', (m: { state?: unknown }) => resolve(m.state)));
      throw new Error(`${label}: stalled at ${seen.sent} sent and ${seen.delivered} delivered callbacks; the client: ${JSON.stringify(state)}`);
    }
    progress.show(`${label}: callbacks ${seen.sent} sent, ${seen.delivered} delivered of ${count} each`);
  }
  progress.done();
}

/**
 * The floor's client, in a process of its own (its CPU apart from the receiver's): binds to
 * carrier-sim as the platform does, submits one-part messages at the windows' pace as the
 * benchmark asks (a warm-up, then the measured ones), and POSTs
 * a signed "sent" callback when a submit is answered and a "delivered" one per receipt.
 */
async function runClient(): Promise<void> {
  const env = process.env;
  const url = env.FLOOR_URL!;
  const config = loadCarrierConfig(join(REPO_ROOT, 'config/carriers.json'), { ...env, CARRIER_SIM_ADDR: env.FLOOR_SMPP_ADDR });
  const logger = createLogger('floor-client', 'warn');
  const pool = new ConnectionPool();
  const policy = new AddressPolicy(['127.0.0.1/32']);
  const byCarrierId = new Map<string, number>();
  // Receipts that came before their submit's answer was handled (both can be in one read).
  const early = new Set<string>();
  // Callbacks in flight at most, status tracking's default (CALLBACK_CONCURRENCY): submits wait
  // while they are all taken, so a backlog waits as messages do in the platform, not as
  // requests (unbounded, they queued by the thousand and the client's CPU per message doubled).
  const MAX_POSTS = 256;
  let posting = 0;
  const freed: Array<() => void> = [];
  const post = (type: string, messageId: number) => {
    posting++;
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: { message_id: String(messageId), status: type === 'message.sent' ? 2 : 4 } });
    const id = `${type}-${messageId}`;
    void safePost(url, { body, headers: { 'content-type': 'application/json', ...webhookHeaders([SECRET], id, Math.floor(Date.now() / 1000), body) }, timeoutMs: 30_000, policy, pool })
      .catch((err) => logger.error({ err }, 'floor callback failed'))
      .finally(() => {
        posting--;
        freed.shift()?.();
      });
  };
  const onDeliver = async (pdu: smpp.Pdu) => {
    const message = (pdu.short_message as { message?: unknown } | undefined)?.message;
    const receipt = parseReceipt(typeof message === 'string' ? message : Buffer.isBuffer(message) ? message.toString('utf8') : '');
    if (!receipt) return;
    const ours = byCarrierId.get(receipt.id);
    if (ours === undefined) return void early.add(receipt.id);
    byCarrierId.delete(receipt.id);
    post('message.delivered', ours);
  };
  const binds = BENCH_CARRIERS.map((id) => {
    const carrier = config.carriers.find((c) => c.id === id)!;
    const bind = { ...carrier.binds[0]!, window: Number(env.FLOOR_WINDOW) };
    return Array.from({ length: Number(env.FLOOR_BINDS) }, () => new SmppBind({ bind, carrier: id, receipts: true, logger, onDeliver }));
  });
  for (const b of binds.flat()) b.start();
  // One throwaway submit per bind: every bind is up before the clock starts.
  await Promise.all(binds.flat().map((b) => b.submit({ to: '+5511990000000', from: '29000', shortMessage: Buffer.from('warm-up'), dataCoding: 0, udh: false })));
  const text = Buffer.from('Sabiá floor bench');
  // At most as many submits waiting as the windows hold twice over (the dispatcher's pace).
  const limit = 2 * BENCH_CARRIERS.length * Number(env.FLOOR_BINDS) * Number(env.FLOOR_WINDOW);
  let next = 0;
  let end = 0;
  const worker = async () => {
    for (;;) {
      while (posting >= MAX_POSTS) await new Promise<void>((resolve) => freed.push(resolve));
      // Checked after the wait: another worker may have taken the phase's last message meanwhile.
      if (next >= end) return;
      const i = next++;
      const carrier = i % BENCH_CARRIERS.length;
      const list = binds[carrier]!;
      const bind = list.reduce((a, b) => (b.load < a.load ? b : a));
      const result = await bind.submit({ to: benchDestination(i), from: '29000', shortMessage: text, dataCoding: 0, udh: false });
      if (result.commandStatus !== 0) throw new Error(`submit ${i}: command_status ${result.commandStatus}`);
      post('message.sent', i);
      if (early.delete(result.messageId)) post('message.delivered', i);
      else byCarrierId.set(result.messageId, i);
    }
  };
  // Each phase the benchmark asks for: `count` more messages, numbered on from the last.
  process.on('message', (m: { count?: number; state?: true }) => {
    if (m.state) {
      const loads = binds.flat().map((b) => b.load);
      return void process.send!({ state: { next, end, posting, waiting: freed.length, unmatched: byCarrierId.size, early: early.size, loads } });
    }
    end += m.count!;
    void Promise.all(Array.from({ length: limit }, worker)).catch((err: unknown) => {
      console.error(`floor client failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
  });
  process.send!('bound');
}

if (process.argv[2] === 'client') {
  runClient().catch((err: unknown) => {
    console.error(`floor client failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
