import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy';
import { checkCustomerUrl } from './check-url';
import { ConnectionPool, DeliveryNetworkError, RefusedDestinationError, safePost } from './safe-post';

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
