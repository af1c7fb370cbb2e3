// Customer callbacks (issue 4 §6) against a real HTTP receiver: Standard Webhooks signatures,
// retries on 5xx, 410 disabling the endpoint, every attempt listable.
import { verifyWebhook } from '@sabia/webhooks';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, waitFor, type Pipeline } from '@sabia/testing';

let p: Pipeline;
let token: string;
let receiver: Server;
let base: string;

interface Received { path: string; headers: IncomingHttpHeaders; body: string }
const received: Received[] = [];
/** Status to answer per path; a function of how many requests that path has had. */
const plans = new Map<string, (n: number) => number>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const n = received.filter((r) => r.path === path).length;
      res.writeHead(plans.get(path)?.(n) ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  p = await startPipeline({ otlp: false });
  token = await p.tokenFor('acme');
}, 120_000);

afterAll(async () => {
  await p?.stop();
  receiver?.closeAllConnections();
  receiver?.close();
});

const at = (path: string) => received.filter((r) => r.path === path);
const secrets = async () => (await p.call(p.clients.status, p.clients.status.getWebhookSecret, { subaccountId: '' }, { token })).secrets;
const callbacksOf = async (messageId: string) => (await p.call(p.clients.status, p.clients.status.listCallbacks, { messageId }, { token })).callbacks;

describe('status callbacks', () => {
  it('sends one signed callback for the first level and one for the receipt', async () => {
    const [secret] = await secrets();
    expect(secret!.secret).toMatch(/^whsec_/);
    const { message } = await p.sendSms(token, { callbackUrl: `${base}/ok`, correlationId: 'order-7' });
    const got = await waitFor(async () => (at('/ok').length >= 2 ? at('/ok') : undefined), 'two callbacks');
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type)).toEqual(['message.sent', 'message.delivered']);
    expect(bodies[0].data).toMatchObject({ message_id: message!.id, correlation_id: 'order-7', sent_status: 2, sent_status_name: 'SENT_SUCCESS' });
    expect(bodies[1].data).toMatchObject({ delivered_status: 4, delivered_status_name: 'DELIVERED_SUCCESS' });
    for (const r of got) {
      expect(verifyWebhook(secret!.secret, r.headers as Record<string, string>, r.body)).toBe(true);
      expect(verifyWebhook(secret!.secret, r.headers as Record<string, string>, r.body.replace('order-7', 'order-8'))).toBe(false);
    }
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(2);
  });

  it('retries a receiver that fails three times, once more each time, then stops', async () => {
    plans.set('/flaky', (n) => (n <= 3 ? 503 : 200));
    const { message } = await p.sendSms(token, { callbackUrl: `${base}/flaky`, to: '+5571985230009' }); // Oi: first level only
    const list = await waitFor(async () => {
      const cbs = await callbacksOf(message!.id);
      return cbs.length === 1 && cbs[0]!.state === 'delivered' ? cbs : undefined;
    }, 'the callback delivered');
    expect(list[0]!.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 503, 200]);
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/flaky')).toHaveLength(4);
    expect(new Set(at('/flaky').map((r) => r.headers['webhook-id'])).size).toBe(1); // one callback, four tries
  });

  it('disables an endpoint that answers 410: nothing more goes there', async () => {
    plans.set('/gone', () => 410);
    const first = (await p.sendSms(token, { callbackUrl: `${base}/gone`, to: '+5571985230010' })).message!;
    await waitFor(async () => ((await callbacksOf(first.id))[0]?.state === 'disabled' ? true : undefined), 'the endpoint disabled');
    const second = (await p.sendSms(token, { callbackUrl: `${base}/gone`, to: '+5571985230011' })).message!;
    await waitFor(async () => ((await callbacksOf(second.id))[0]?.state === 'disabled' ? true : undefined), 'the next callback skipped');
    expect(at('/gone')).toHaveLength(1);
  });

  it('signs with both secrets while a rotation settles in', async () => {
    const before = await secrets();
    const rotated = (await p.call(p.clients.status, p.clients.status.rotateWebhookSecret, { subaccountId: '' }, { token })).secrets;
    expect(rotated).toHaveLength(before.length + 1);
    expect(rotated[1]!.expiresAt).toBeDefined();
    await p.sendSms(token, { callbackUrl: `${base}/rotated`, to: '+5571985230012' });
    const [r] = await waitFor(async () => (at('/rotated').length ? at('/rotated') : undefined), 'the callback');
    const headers = r!.headers as Record<string, string>;
    expect(verifyWebhook(rotated[0]!.secret, headers, r!.body)).toBe(true);
    expect(verifyWebhook(before[0]!.secret, headers, r!.body)).toBe(true);
  });

  it('lets only managers read secrets, and shows no other tenant’s callbacks', async () => {
    const operator = await p.tokenFor('acme', 'usuario');
    await expect(p.call(p.clients.status, p.clients.status.getWebhookSecret, { subaccountId: '' }, { token: operator })).rejects.toMatchObject({ code: 7 });
    const { message } = await p.sendSms(token, { callbackUrl: `${base}/ok2` });
    await waitFor(async () => (at('/ok2').length ? true : undefined), 'a callback');
    const intruder = await p.tokenFor('other');
    expect((await p.call(p.clients.status, p.clients.status.listCallbacks, { messageId: message!.id }, { token: intruder })).callbacks).toEqual([]);
  });

  it('refuses callback URLs to private or metadata addresses when the message is sent', async () => {
    for (const url of ['http://10.0.0.1/x', 'http://169.254.169.254/latest/meta-data', 'http://localhost/x']) {
      await expect(p.sendSms(token, { callbackUrl: url })).rejects.toMatchObject({ code: 3 });
    }
  });
});
