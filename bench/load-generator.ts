// The open-loop load generator of `bench:sending`, in a process of its own. In the benchmark's
// process it shared an event loop and a heap with the pipeline it drives (its CPU meter, its
// Postgres pool, the SendBatch requests): that heap's garbage collections, 5-25 ms each about
// once a second on the test VM, held back requests that were due and were counted as the
// service's latency. Here the heap is a few megabytes, latencies go into preallocated arrays,
// nothing is kept of a call once it has answered, and the default client allocates next to
// nothing per call (bench/grpc-h2-client.ts: Node's http2 client still paused this process for
// 6-20 ms about once a second).
import { sending } from '@sabia/contracts';
import { callUnary, createClient } from '@sabia/grpc-kit';
import { fork, type ChildProcess } from 'node:child_process';
import { machineTicks, stolenPercent, type MachineTicks } from './cpu-meter';
import { connectGrpcH2, type OnAnswer } from './grpc-h2-client';
import { floorCall } from './machine-floor';
import { percentile, progressLine } from './run-bench';

export interface AtRateOptions {
  /** SendSms on the sending service, or the machine floor's one method (bench/machine-floor.ts). */
  target: 'sendSms' | 'floor';
  address: string;
  token: string;
  /** A plain HTTP/2 gRPC client (as ghz or k6 would be) or grpc-js (the services' own client library). */
  client: 'h2' | 'grpc-js';
  rate: number;
  seconds: number;
  /** Idempotency keys (or the floor's row keys) are `${keyPrefix}-${i}`. */
  keyPrefix: string;
  /** Shown with the progress. */
  label: string;
}

export interface AtRateResult {
  /** Of the calls that answered, in ms from when each was due, ascending. */
  latencies: number[];
  /** p99 per 10-second window of due times: how the tail settles as the services warm up. */
  windowP99: number[];
  /** Percent of the machine's CPU time its host took, per window (null where /proc is missing). */
  windowStolen: Array<number | null>;
  /** The same over the whole run. */
  stolen: number | null;
  errors: number;
  total: number;
  achieved: number;
}

/** A Brazilian mobile number per index: distinct recipients, all valid. */
export const mobile = (i: number) => `+55119${String(10_000_000 + (i % 90_000_000)).padStart(8, '0')}`;

/** Starts the generator's process; `run` drives one target at a fixed rate and resolves with what it saw. */
export function startLoadGenerator() {
  const child = fork(__filename, ['generate'], { stdio: 'inherit' });
  return {
    child,
    run(options: AtRateOptions): Promise<AtRateResult> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code}) during ${options.label}`));
        child.once('exit', onExit);
        child.once('message', (result) => {
          child.off('exit', onExit);
          resolve(result as AtRateResult);
        });
        child.send(options);
      });
    },
    stop: () => void child.kill(),
  };
}

/** Starts call `i`; its answer is reported to the `OnAnswer` the sender was made with. */
type Send = (i: number) => void;

function sender(options: AtRateOptions, onAnswer: OnAnswer): { send: Send; close(): void } {
  if (options.target === 'floor') {
    const h2 = connectGrpcH2(options.address, options.token, onAnswer);
    return { send: (i) => h2.send(i, floorCall, Buffer.from(`${options.keyPrefix}-${i}`)), close: () => h2.close() };
  }
  const request = (i: number): sending.SendSmsRequest => ({
    to: mobile(i),
    text: `mensagem ${i}`,
    idempotencyKey: `${options.keyPrefix}-${i}`,
    correlationId: '',
    callbackUrl: '',
    validitySeconds: 0,
  });
  if (options.client === 'h2') {
    const h2 = connectGrpcH2(options.address, options.token, onAnswer);
    return { send: (i) => h2.send(i, sending.SendingServiceService.sendSms, request(i)), close: () => h2.close() };
  }
  const client = createClient(sending.SendingServiceClient, options.address);
  return {
    send: (i) =>
      void callUnary(client, client.sendSms, request(i), { token: options.token, deadlineMs: 60_000 }).then(
        () => onAnswer(i, true),
        () => onAnswer(i, false),
      ),
    close: () => client.close(),
  };
}

/**
 * Open loop: requests go out on schedule whether or not earlier ones returned. Each latency
 * counts from when its request was due, or from when it was sent if the timer let it out up to
 * a millisecond early (a late start is the service's delay too; an early one is not).
 */
export async function atRate(options: AtRateOptions): Promise<AtRateResult> {
  const total = Math.round(options.rate * options.seconds);
  const latencies = new Float64Array(total).fill(NaN);
  const startedAt = new Float64Array(total);
  let errors = 0;
  let settled = 0;
  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  const { send, close } = sender(options, (i, ok) => {
    if (ok) latencies[i] = performance.now() - startedAt[i]!;
    else errors++;
    if (++settled === total) allSettled();
  });
  const perWindow = options.rate * 10;
  // The machine's ticks as each window's first call goes out, and after the last call.
  const ticks: Array<MachineTicks | undefined> = [];
  const progress = progressLine();
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    startedAt[i] = callStart(due, performance.now());
    send(i);
    if (i % perWindow === 0) ticks.push(machineTicks());
    if (i % options.rate === 0) progress.show(`${options.label}: ${i}/${total}`);
  }
  ticks.push(machineTicks());
  if (total > 0) await done;
  const achieved = total / ((performance.now() - started) / 1000);
  close();
  progress.done();
  const windows = Math.ceil(total / perWindow);
  const windowP99 = Array.from({ length: windows }, (_, w) => percentile(answered(latencies.subarray(w * perWindow, (w + 1) * perWindow)), 99));
  const windowStolen = Array.from({ length: windows }, (_, w) => stolenPercent(ticks[w], ticks[w + 1]));
  return { latencies: answered(latencies), windowP99, windowStolen, stolen: stolenPercent(ticks[0], ticks.at(-1)), errors, total, achieved };
}

/**
 * When a call's latency starts: when it was due, or when it was sent if that was earlier (the
 * timer lets a call out up to a millisecond early). A late start counts: the generator fell
 * behind because the machine was busy, which is the service's delay too (open loop, no
 * coordinated omission). An early one does not shorten the call.
 */
function callStart(due: number, sent: number): number {
  return Math.min(due, sent);
}

/** The latencies of the calls that answered, ascending. */
const answered = (latencies: Float64Array) => [...latencies.filter((l) => !Number.isNaN(l)).sort()];

if (process.argv[2] === 'generate') {
  process.on('message', (options: AtRateOptions) => {
    atRate(options).then(
      (result) => process.send!(result),
      (err: unknown) => {
        console.error(`load generator: ${err instanceof Error ? err.message : err}`);
        process.exit(1);
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}
