import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { atRate } from './load-generator';
import { floorMethod } from './machine-floor';

// Open loop, as the benchmarks measure: a call the generator could only send late (the machine
// was busy) counts from when it was due, or the benchmark hides exactly the stalls it is for.
let server: grpc.Server | undefined;
afterEach(() => server?.forceShutdown());

async function startEchoServer(): Promise<string> {
  server = new grpc.Server();
  server.addService({ Call: floorMethod }, { Call: (call: grpc.ServerUnaryCall<Buffer, Buffer>, reply: grpc.sendUnaryData<Buffer>) => reply(null, call.request) });
  const port = await new Promise<number>((resolve, reject) =>
    server!.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return `127.0.0.1:${port}`;
}

describe('the load generator at a fixed rate', () => {
  it('counts a call held back by a stall from when it was due, and never below zero', async () => {
    const address = await startEchoServer();
    // 200 calls a second for a second; 400 ms in, the process stalls for 150 ms, as under a
    // collector's pause: the ~30 calls due meanwhile go out late, together.
    const stall = setTimeout(() => {
      const until = performance.now() + 150;
      while (performance.now() < until);
    }, 400);
    const result = await atRate({ target: 'floor', address, token: 'bench', client: 'h2', rate: 200, seconds: 1, keyPrefix: 'k', label: 'test' });
    clearTimeout(stall);

    expect(result.errors).toBe(0);
    expect(result.latencies).toHaveLength(200);
    expect(result.latencies[0]).toBeGreaterThanOrEqual(0);
    // The first call due in the stall waited for nearly all of it; a dozen or more waited over 50 ms.
    expect(result.latencies.at(-1)).toBeGreaterThan(100);
    expect(result.latencies.filter((l) => l > 50).length).toBeGreaterThanOrEqual(12);
    // One 10-s window (the run is shorter), with the host's share of the CPU beside its tail.
    expect(result.windowP99).toHaveLength(1);
    expect(result.windowStolen).toHaveLength(1);
    if (process.platform === 'linux') expect(result.windowStolen[0]).toBeGreaterThanOrEqual(0);
  });
});
