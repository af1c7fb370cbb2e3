import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { connectGrpcH2, type UnaryDefinition } from './grpc-h2-client';

// The load generator's hand-written HTTP/2 client against a real grpc-js server: what it counts
// as answered must be exactly what the server answered with status OK.
const echo: UnaryDefinition<Buffer> = { path: '/sabia.bench.Test/Echo', requestSerialize: (b) => b };
const TOKEN = `t${'x'.repeat(300)}`; // longer than 127 bytes: the header's length takes two HPACK bytes

let server: grpc.Server | undefined;
afterEach(() => server?.forceShutdown());

/** A server whose one method echoes the request, and refuses a request that starts with "fail" or lacks the token. */
async function startServer(): Promise<{ address: string; seen: string[] }> {
  const seen: string[] = [];
  server = new grpc.Server();
  const bytes = { requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b };
  server.addService(
    { Echo: { path: echo.path, requestStream: false, responseStream: false, ...bytes } },
    {
      Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, reply: grpc.sendUnaryData<Buffer>) => {
        const body = call.request.toString();
        seen.push(body);
        if (call.metadata.get('authorization')[0] !== `Bearer ${TOKEN}`) return reply({ code: grpc.status.UNAUTHENTICATED, details: 'no token' });
        if (body.startsWith('fail')) return reply({ code: grpc.status.FAILED_PRECONDITION, details: 'refused' });
        reply(null, call.request);
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server!.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, seen };
}

function collect(total: number) {
  const answers = new Map<number, boolean>();
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  const onAnswer = (call: number, ok: boolean) => {
    expect(answers.has(call)).toBe(false);
    answers.set(call, ok);
    if (answers.size === total) resolve();
  };
  return { answers, all, onAnswer };
}

describe('the load generator gRPC client', () => {
  it('reports each call once: ok for an answered message, not ok for an error status, across many connection windows', async () => {
    const { address, seen } = await startServer();
    // 4,000 requests of ~1 kB each: 60 times the 64 kB the server's connection window starts with.
    const total = 4_000;
    const { answers, all, onAnswer } = collect(total);
    const client = connectGrpcH2(address, TOKEN, onAnswer);
    const pad = 'p'.repeat(1_000);
    for (let i = 0; i < total; i++) client.send(i, echo, Buffer.from(`${i % 10 === 3 ? 'fail' : 'call'}-${i}-${pad}`));
    await all;
    client.close();

    expect(seen).toHaveLength(total);
    for (let i = 0; i < total; i++) expect(answers.get(i), `call ${i}`).toBe(i % 10 !== 3);
  });

  it('does not count an unauthenticated call as answered', async () => {
    const { address } = await startServer();
    const { answers, all, onAnswer } = collect(1);
    const client = connectGrpcH2(address, 'wrong', onAnswer);
    client.send(7, echo, Buffer.from('call'));
    await all;
    client.close();
    expect(answers.get(7)).toBe(false);
  });

  it('fails the calls in flight when the server goes away, and every call after', async () => {
    const { address } = await startServer();
    const { answers, all, onAnswer } = collect(2);
    const client = connectGrpcH2(address, TOKEN, onAnswer);
    // The server is gone before the first call reaches it.
    server!.forceShutdown();
    client.send(0, echo, Buffer.from('call'));
    await new Promise((r) => setTimeout(r, 100));
    client.send(1, echo, Buffer.from('call'));
    await all;
    expect([answers.get(0), answers.get(1)]).toEqual([false, false]);
  });
});
