import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy';
import { checkCustomerUrl } from './check-url';
import { ConnectionPool, DeliveryNetworkError } from './connection-pool';
import { RefusedDestinationError, safePost } from './safe-post';

// A real receiver on loopback: what an attacker would like our callbacks to reach.
let server: Server;
let base: string;
const received: IncomingMessage[] = [];
let answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; hang?: boolean } = () => ({ status: 204 });

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req);
    req.resume();
    const a = answer(req);
    if (a.hang) return;
    res.writeHead(a.status, a.headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const strict = new AddressPolicy();
const post = (url: string, policy = strict, extra: Partial<Parameters<typeof safePost>[1]> = {}) =>
  safePost(url, { body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 500, policy, ...extra });

describe('safePost against SSRF', () => {
  it.each([
    ['loopback by address', () => `${base}/hook`],
    ['loopback by name', () => base.replace('127.0.0.1', 'localhost') + '/hook'],
    ['a private address', () => 'http://10.0.0.1/hook'],
    ['the metadata service', () => 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', () => 'http://[::1]/hook'],
    ['an IPv4-mapped IPv6 loopback', () => 'http://[::ffff:127.0.0.1]/hook'],
  ])('refuses %s without sending anything', async (_, url) => {
    const before = received.length;
    await expect(post(url())).rejects.toBeInstanceOf(RefusedDestinationError);
    expect(received.length).toBe(before);
  });

  it('refuses a name whose answers include one private address (DNS rebinding, round robin)', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }];
    await expect(post('http://hooks.example.com/x', strict, { resolve })).rejects.toThrow(/10\.0\.0\.1/);
  });

  it('connects to the vetted address only: a name pinned to an allowed address never re-resolves', async () => {
    let calls = 0;
    const resolve = async () => (calls++, [{ address: '127.0.0.1', family: 4 }]);
    const allowLoopback = new AddressPolicy(['127.0.0.1/32']);
    const port = (server.address() as AddressInfo).port;
    const result = await post(`http://receiver.test:${port}/pinned`, allowLoopback, { resolve });
    expect(result).toMatchObject({ status: 204, address: '127.0.0.1' });
    expect(calls).toBe(1);
    expect(received.at(-1)!.headers.host).toBe(`receiver.test:${port}`);
  });

  it('reuses a kept-alive connection to the same vetted address', async () => {
    let connections = 0;
    const count = () => connections++;
    server.on('connection', count);
    const pool = new ConnectionPool();
    const allowLoopback = new AddressPolicy(['127.0.0.1/32']);
    for (let i = 0; i < 3; i++) expect((await post(`${base}/keep`, allowLoopback, { pool })).status).toBe(204);
    server.off('connection', count);
    pool.close();
    expect(connections).toBe(1);
  });

  it('returns a redirect as the answer and never follows it', async () => {
    answer = () => ({ status: 302, headers: { location: `${base}/elsewhere` } });
    const result = await post(`${base}/moved`, new AddressPolicy(['127.0.0.1/32']));
    expect(result.status).toBe(302);
    expect(received.map((r) => r.url)).not.toContain('/elsewhere');
    answer = () => ({ status: 204 });
  });

  it('gives up on a receiver that does not answer in time, as a retryable network error', async () => {
    answer = () => ({ status: 200, hang: true });
    await expect(post(`${base}/slow`, new AddressPolicy(['127.0.0.1/32']))).rejects.toBeInstanceOf(DeliveryNetworkError);
    answer = () => ({ status: 204 });
  });
});

/**
 * A receiver written byte by byte: `answer` gets each request's head (up to its blank line)
 * and the socket, and writes whatever it likes. Counts the connections it accepted.
 */
async function rawReceiver(answer: (head: string, socket: Socket) => void) {
  const stats = { connections: 0, requests: 0 };
  const server = createTcpServer((socket) => {
    stats.connections++;
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.slice(end + 4 + length);
        stats.requests++;
        answer(head, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, stats, close: () => new Promise((r) => server.close(r)) };
}

describe('safePost speaking HTTP/1.1 on kept-alive connections', () => {
  const loopback = new AddressPolicy(['127.0.0.1/32']);

  it('sends one whole request with the headers given, and reads a chunked answer, on one connection', async () => {
    const heads: string[] = [];
    const receiver = await rawReceiver((head, socket) => {
      heads.push(head);
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    });
    const pool = new ConnectionPool();
    for (let i = 0; i < 3; i++) {
      const result = await safePost(`${receiver.url}?n=${i}`, { body: '{"a":"é"}', headers: { 'webhook-id': `msg_${i}` }, timeoutMs: 2_000, policy: loopback, pool });
      expect(result.status).toBe(200);
    }
    pool.close();
    await receiver.close();
    expect(receiver.stats.connections).toBe(1);
    expect(heads[2]).toMatch(/^POST \/hook\?n=2 HTTP\/1\.1\r\n/);
    expect(heads[2]).toContain('\r\nwebhook-id: msg_2\r\n');
    expect(heads[2]).toContain(`\r\ncontent-length: ${Buffer.byteLength('{"a":"é"}')}\r\n`);
  });

  it('opens a new connection after an answer that closes it, and after one that sent more than it was asked', async () => {
    let n = 0;
    const receiver = await rawReceiver((_, socket) => {
      n++;
      if (n === 1) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else if (n === 2) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      else socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const pool = new ConnectionPool();
    for (let i = 0; i < 3; i++) expect((await safePost(receiver.url, { body: '{}', headers: {}, timeoutMs: 2_000, policy: loopback, pool })).status).toBeGreaterThanOrEqual(200);
    pool.close();
    await receiver.close();
    expect(receiver.stats.connections).toBe(3);
  });

  it('gives a retryable network error when the receiver hangs up without answering, or answers nonsense', async () => {
    let n = 0;
    const receiver = await rawReceiver((_, socket) => (n++ === 0 ? socket.destroy() : socket.write('HTTP/1.1 2OO OK\r\n\r\n')));
    const pool = new ConnectionPool();
    await expect(safePost(receiver.url, { body: '{}', headers: {}, timeoutMs: 2_000, policy: loopback, pool })).rejects.toBeInstanceOf(DeliveryNetworkError);
    await expect(safePost(receiver.url, { body: '{}', headers: {}, timeoutMs: 2_000, policy: loopback, pool })).rejects.toThrow(/status line/);
    pool.close();
    await receiver.close();
  });

  it('keeps to 32 connections per receiver however many callbacks are in flight; the rest wait their turn', async () => {
    const receiver = await rawReceiver((_, socket) => setTimeout(() => socket.write('HTTP/1.1 204 No Content\r\n\r\n'), 20));
    const pool = new ConnectionPool();
    const all = Array.from({ length: 100 }, () => safePost(receiver.url, { body: '{}', headers: {}, timeoutMs: 5_000, policy: loopback, pool }).then((r) => r.status));
    expect(await Promise.all(all)).toEqual(Array(100).fill(204));
    pool.close();
    await receiver.close();
    expect(receiver.stats.connections).toBe(32);
    expect(receiver.stats.requests).toBe(100);
  });

  it('checks the receiver\'s certificate over https: a self-signed one is refused', async () => {
    const tlsDir = join(__dirname, '../../../../e2e/fixtures/tls');
    const server = createHttpsServer({ cert: readFileSync(join(tlsDir, 'smsc-cert.pem')), key: readFileSync(join(tlsDir, 'smsc-key.pem')) }, (_, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await expect(safePost(url, { body: '{}', headers: {}, timeoutMs: 2_000, policy: loopback })).rejects.toThrow(/self.signed|certificate/i);
    server.close();
  });
});

describe('checking a URL a customer gives us', () => {
  it.each(['http://127.0.0.1/x', 'http://10.0.0.1/x', 'http://169.254.169.254/x', 'http://localhost/x', 'http://[::1]/x', 'ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(() => checkCustomerUrl(url, 'callback_url')).toThrow(/callback_url/);
    },
  );

  it('keeps a public https URL', () => {
    expect(checkCustomerUrl('https://hooks.example.com/sabia?x=1', 'callback_url')).toBe('https://hooks.example.com/sabia?x=1');
  });
});
