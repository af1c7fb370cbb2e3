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

describe('replies (MO)', () => {
  const number = '+5511987661001';
  const inject = (text: string) =>
    fetch(`${p.simUrl}/mo`, { method: 'POST', body: JSON.stringify({ systemId: 'vivo', from: number, to: 'SABIA', text }) }).then((r) => expect(r.status).toBe(202));
  const replyCallbacks = () => at('/mo').map((r) => ({ ...r, json: JSON.parse(r.body) }));

  beforeAll(async () => {
    const settings = (await p.call(p.clients.sending, p.clients.sending.getCustomerSettings, { subaccountId: '' }, { token })).settings!;
    await p.call(p.clients.sending, p.clients.sending.updateCustomerSettings, { settings: { ...settings, moUrl: `${base}/mo`, optOutKeywords: ['DESCADASTRAR'] }, accountDefault: true }, { token });
  });

  it('forwards a reply to the MO URL, signed, joined to the message it answers', async () => {
    const { message } = await p.sendSms(token, { to: number, correlationId: 'campanha-9' });
    await waitFor(async () => ((await p.call(p.clients.status, p.clients.status.getStatus, { messageId: message!.id }, { token })).status?.sentStatus ? true : undefined), 'the first level');
    await inject('Obrigado, recebi!');
    const [reply] = await waitFor(async () => (replyCallbacks().length ? replyCallbacks() : undefined), 'the reply callback');
    expect(reply!.json).toMatchObject({ type: 'message.reply', data: { message_id: message!.id, from: number, text: 'Obrigado, recebi!', correlation_id: 'campanha-9', action: null } });
    const [secret] = await secrets();
    expect(verifyWebhook(secret!.secret, reply!.headers as Record<string, string>, reply!.body)).toBe(true);
  });

  it('opts the number out on "Sair" (next send: 204) and back in on "VOLTAR"', async () => {
    await inject('  Sair! ');
    await waitFor(async () => (replyCallbacks().some((r) => r.json.data.action === 'opt_out') ? true : undefined), 'the opt-out reply');
    const refused = await p.sendSms(token, { to: number }).then(() => undefined, (e: { code: number; details: string }) => e);
    expect(refused?.code).toBe(9); // FAILED_PRECONDITION
    expect(refused?.details).toMatch(/204 DESTINATION_BLOCKED_BY_OPTOUT/);

    await inject('voltar');
    await waitFor(async () => (replyCallbacks().some((r) => r.json.data.action === 'opt_in') ? true : undefined), 'the opt-in reply');
    const { message } = await p.sendSms(token, { to: number });
    expect(message!.sentStatus).toBe(0); // accepted
  });

  it('honours the customer’s own opt-out keyword', async () => {
    await inject('descadastrar');
    await waitFor(async () => (replyCallbacks().filter((r) => r.json.data.action === 'opt_out').length === 2 ? true : undefined), 'the second opt-out');
    await expect(p.sendSms(token, { to: number })).rejects.toMatchObject({ code: 9 });
  });
});
