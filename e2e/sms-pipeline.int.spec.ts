import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { DeliveredStatus, SentStatus, type sending } from '@sabia/contracts';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, waitFor, type Pipeline } from '@sabia/testing';

let p: Pipeline;
let token: string;

beforeAll(async () => {
  p = await startPipeline();
  token = await p.tokenFor('acme');
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const send = (req: Partial<sending.SendSmsRequest>, auth = token) => p.sendSms(auth, req);

const finalStatus = (id: string, timeoutMs?: number) => p.bothLevels(token, id, timeoutMs);

const grpcCode = (promise: Promise<unknown>) =>
  promise.then(() => 'OK', (err: ServiceError) => grpcStatus[err.code]);

async function countMessages(where = 'true'): Promise<number> {
  const [row] = await p.query(`select count(*)::int as n from sending.messages where ${where}`);
  return row.n;
}

describe('one SMS through the real services', () => {
  it('reaches both status levels, posts its billing reservation once, and is one trace', async () => {
    const { message } = await send({ correlationId: 'order-42' });
    expect(message!.sentStatus).toBe(SentStatus.SENT_STATUS_UNSPECIFIED);
    expect(message!.traceId).toMatch(/^[0-9a-f]{32}$/);

    const status = await finalStatus(message!.id);
    expect(status.sentStatus).toBe(SentStatus.SENT_STATUS_SENT_SUCCESS);
    expect(status.deliveredStatus).toBe(DeliveredStatus.DELIVERED_STATUS_DELIVERED_SUCCESS);
    expect(status.sentAt!.getTime()).toBeLessThanOrEqual(status.deliveredAt!.getTime());
    expect(status.carrierMessageId).toMatch(/^[0-9a-f]{16}$/);
    expect(status.correlationId).toBe('order-42');

    const transfers = await waitFor(async () => {
      const { transfers } = await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: message!.id }, { token });
      return transfers.some((t) => t.kind === 'post_pending') ? transfers : undefined;
    }, 'the posted transfer');
    expect(transfers.map((t) => [t.kind, t.amount])).toEqual([['pending', 5n], ['post_pending', 5n]]);
    expect(transfers[1]!.pendingId).toBe(transfers[0]!.id);

    // Every span of the message's trace, from at least four services, forms one tree.
    const traceId = message!.traceId;
    // Spans arrive in batches from four processes: wait until the tree is complete (the
    // spans we check are there and every parent has arrived), then check its shape.
    const spans = await waitFor(async () => {
      const mine = p.otlp.spans.filter((s) => s.traceId === traceId);
      const ids = new Set(mine.map((s) => s.spanId));
      const orphans = mine.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
      const has = (service: string, name: string) => mine.some((s) => s.service === service && s.name.endsWith(name));
      const complete =
        has('billing', 'consume sabia.status.status-changed.v1') && has('carrier-sim', 'smsc submit_sm') &&
        has('sending', 'smpp receive receipt') && has('billing', 'BillingService/Reserve') && orphans.length === 0;
      return complete ? mine : undefined;
    }, 'the whole trace from sending, carrier-sim, status-tracking and billing');
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const roots = spans.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId));
    expect(roots.map((s) => `${s.service}:${s.name}`)).toEqual(['sending:grpc.sabia.sending.v1.SendingService/SendSms']);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['sending', 'carrier-sim', 'status-tracking', 'billing']));

    const parentOf = (span: { parentSpanId: string }) => byId.get(span.parentSpanId)!;
    const submit = spans.find((s) => s.service === 'carrier-sim' && s.name === 'smsc submit_sm')!;
    expect(parentOf(submit)).toMatchObject({ service: 'sending', name: 'consume sabia.sending.message-accepted.v1', kind: 5 });
    const reserve = spans.find((s) => s.service === 'billing' && s.name.endsWith('BillingService/Reserve'))!;
    expect(parentOf(reserve)).toMatchObject({ service: 'sending', kind: 3 });
    const settle = spans.find((s) => s.service === 'billing' && s.name === 'consume sabia.status.status-changed.v1')!;
    // Events travel packed (many per NATS message): each one's consumer continues the span
    // that wrote it, status tracking's handling of the sending event.
    expect(parentOf(settle)).toMatchObject({ service: 'status-tracking', kind: 5 });
    expect(parentOf(settle).name).toMatch(/^consume sabia\.sending\./);
    const receipt = spans.find((s) => s.service === 'sending' && s.name === 'smpp receive receipt')!;
    expect(parentOf(receipt)).toMatchObject({ service: 'carrier-sim', name: 'smsc deliver_sm receipt' });
    // The outbox relay publishes a batch in a trace of its own, linked to each event's trace.
    const publish = await waitFor(
      async () => p.otlp.spans.find((s) => s.service === 'sending' && s.name === 'publish sabia.sending.message-accepted.v1' && s.links.some((l) => l.traceId === traceId)),
      "the relay's publish span linked to the message's trace",
    );
    expect(publish.kind).toBe(4);
  });

  it('refuses calls without a valid token', async () => {
    expect(await grpcCode(send({}, ''))).toBe('UNAUTHENTICATED');
    expect(await grpcCode(send({}, 'not-a-jwt'))).toBe('UNAUTHENTICATED');
    // Tamper with the signature's first character (its last one may only carry padding bits).
    const [header, payload, signature] = (await p.tokenFor('acme')).split('.');
    const forged = `${header}.${payload}.${signature![0] === 'A' ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await grpcCode(send({}, forged))).toBe('UNAUTHENTICATED');
  });

  it("answers NOT_FOUND for another tenant's message", async () => {
    const { message } = await send({});
    const intruder = await p.tokenFor('globex');
    const get = p.call(p.clients.sending, p.clients.sending.getMessage, { messageId: message!.id }, { token: intruder });
    expect(await grpcCode(get)).toBe('NOT_FOUND');
    await finalStatus(message!.id);
    const status = p.call(p.clients.status, p.clients.status.getStatus, { messageId: message!.id }, { token: intruder });
    expect(await grpcCode(status)).toBe('NOT_FOUND');
    const transfers = await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: message!.id }, { token: intruder });
    expect(transfers.transfers).toEqual([]);
  });

  it.each([
    ['a number with letters', { to: '+55119876abc21' }],
    ['empty text', { text: '' }],
    ['a NUL byte', { text: 'a\u0000b' }],
    ['a lone surrogate', { text: 'a\ud800b' }],
    ['text over the limit', { text: 'x'.repeat(1501) }],
    ['an SQL fragment as number', { to: "'; drop table sending.messages; --" }],
    ['no idempotency key', { idempotencyKey: '' }],
    ['a private callback URL', { callbackUrl: 'http://169.254.169.254/latest' }],
    ['a 2 MB request', { text: 'x'.repeat(2 * 1024 * 1024) }],
  ])('refuses %s with INVALID_ARGUMENT and writes nothing', async (_, req) => {
    const before = await countMessages();
    expect(await grpcCode(send(req))).toBe('INVALID_ARGUMENT');
    expect(await countMessages()).toBe(before);
  });

  it('returns the original message for a repeated idempotency key, refuses a changed request', async () => {
    const first = await send({ idempotencyKey: 'same-key' });
    const again = await send({ idempotencyKey: 'same-key' });
    expect(again.message!.id).toBe(first.message!.id);
    expect(await grpcCode(send({ idempotencyKey: 'same-key', text: 'other' }))).toBe('ALREADY_EXISTS');
    expect(await countMessages(`idempotency_key = 'same-key'`)).toBe(1);
  });

  it('refuses an invalid destination with FAILED_PRECONDITION, stores it as 202 and never bills it', async () => {
    const err = (await send({ to: '+551132654321' }).catch((e: ServiceError) => e)) as ServiceError; // a São Paulo landline
    expect(grpcStatus[err.code]).toBe('FAILED_PRECONDITION');
    expect(err.details).toMatch(/refused with 202 INVALID_DESTINATION_NUMBER: the destination is not a valid mobile number/);
    const details = JSON.parse(String(err.metadata.get('sabia-error-details')[0]));
    expect(details).toMatchObject({ sentStatus: 202, sentStatusName: 'INVALID_DESTINATION_NUMBER' });
    const status = await waitFor(async () => {
      const res = await p.call(p.clients.status, p.clients.status.getStatus, { messageId: details.messageId }, { token });
      return res.status;
    }, 'the 202 status');
    expect(status.sentStatus).toBe(SentStatus.SENT_STATUS_INVALID_DESTINATION_NUMBER);
    const { message } = await p.call(p.clients.sending, p.clients.sending.getMessage, { messageId: details.messageId }, { token });
    expect(message!.sentStatus).toBe(SentStatus.SENT_STATUS_INVALID_DESTINATION_NUMBER);
    const { transfers } = await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: details.messageId }, { token });
    expect(transfers).toEqual([]);
  });

  it('loses nothing when the sending process is killed right after accepting', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => send({}).then((r) => r.message!.id)));
    await p.processes.get('sending')!.stop('SIGKILL');
    await p.start('sending');
    for (const id of ids) {
      // Messages the killed process had fetched come back after the consumer's ack wait.
      const status = await finalStatus(id, 45_000);
      expect(status.sentStatus).toBe(SentStatus.SENT_STATUS_SENT_SUCCESS);
      const transfers = await waitFor(async () => {
        const res = await p.call(p.clients.billing, p.clients.billing.listTransfers, { messageId: id }, { token });
        return res.transfers.some((t) => t.kind === 'post_pending') ? res.transfers : undefined;
      }, `posting of ${id}`);
      expect(transfers.map((t) => t.kind)).toEqual(['pending', 'post_pending']);
    }
  }, 120_000);

  it('shuts a service down cleanly on SIGTERM', async () => {
    const statusTracking = p.processes.get('status-tracking')!;
    expect(await statusTracking.stop('SIGTERM')).toBe(0);
    expect(statusTracking.output()).toMatch(/"msg":"stopping"[\s\S]*"msg":"stopped"/);
  });
});
