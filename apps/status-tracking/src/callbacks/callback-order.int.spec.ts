import { uuidv7 } from '@sabia/db';
import { createLogger } from '@sabia/logger';
import { migratedDatabase, waitFor } from '@sabia/testing';
import { AddressPolicy } from '@sabia/webhooks';
import { and, eq } from 'drizzle-orm';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, type messageStatus } from '../db';
import { CallbackCache } from './callback-cache';
import { startCallbackWorker } from './callback-worker';
import { enqueueStatusCallbacks } from './enqueue-callback';

// The worker against a real receiver on a real database: one message's status callbacks in
// order, however the receiver and the queue behave.
let database: Awaited<ReturnType<typeof migratedDatabase>>;
let receiver: Server;
let url = '';
const seen: Array<{ type: string; messageId: string; at: number; answeredAt?: number }> = [];
const slowTypes = new Set<string>();

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const { type, data } = JSON.parse(body) as { type: string; data: { message_id: string } };
      const entry = { type, messageId: data.message_id, at: performance.now() } as (typeof seen)[number];
      seen.push(entry);
      // A slow answer to "sent" gives "delivered" every chance to overtake it, if it could.
      setTimeout(() => {
        entry.answeredAt = performance.now();
        res.writeHead(204).end();
      }, slowTypes.has(type) ? 300 : 0);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await database.drop();
});

const statusRow = (messageId: string): typeof messageStatus.$inferSelect => ({
  messageId, accountId: 'acme', subaccountId: 'main', parts: 1, carrier: 'vivo', carrierMessageId: 'c-1', correlationId: '', callbackUrl: url, to: '+5511987654321',
  sentStatus: 2, sentAt: new Date(), deliveredStatus: 4, deliveredAt: new Date(), receiptStat: 'DELIVRD', updatedAt: new Date(),
});

const startWorker = () =>
  startCallbackWorker(database.db, createLogger('callback-order-test', 'silent'), {
    cache: new CallbackCache(database.db),
    policy: new AddressPolicy(['127.0.0.1/32']),
    timeoutMs: 2_000,
    concurrency: 64,
    retryScale: 0.001,
  });

describe('callback order', () => {
  it('holds "delivered" back until "sent" has been answered, for every message', async () => {
    slowTypes.add('message.sent');
    const ids = Array.from({ length: 20 }, () => uuidv7());
    await database.db.transaction((tx) =>
      enqueueStatusCallbacks(tx, ids.flatMap((id) => [{ type: 'message.sent' as const, row: statusRow(id), at: new Date() }, { type: 'message.delivered' as const, row: statusRow(id), at: new Date() }])),
    );
    const states = await database.db.select({ type: callbacks.type, state: callbacks.state }).from(callbacks);
    expect(states.filter((s) => s.type === 'message.delivered').every((s) => s.state === 'waiting')).toBe(true);
    expect(states.filter((s) => s.type === 'message.sent').every((s) => s.state === 'pending')).toBe(true);

    const worker = startWorker();
    await waitFor(async () => (seen.filter((s) => ids.includes(s.messageId)).length >= 40 ? true : undefined), 'both callbacks of every message', 15_000);
    await worker.stop();
    slowTypes.clear();
    for (const id of ids) {
      const sent = seen.find((s) => s.messageId === id && s.type === 'message.sent')!;
      const delivered = seen.find((s) => s.messageId === id && s.type === 'message.delivered')!;
      expect(delivered.at).toBeGreaterThanOrEqual(sent.answeredAt!);
    }
    expect(seen.filter((s) => ids.includes(s.messageId))).toHaveLength(40);
  });

  it('lets go a callback left waiting after its predecessor finished (a finish that raced with the insert)', async () => {
    const id = uuidv7();
    await database.db.insert(callbacks).values([
      { id: uuidv7(), accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.sent', url, payload: JSON.stringify({ type: 'message.sent', data: { message_id: id } }), state: 'delivered', finishedAt: new Date() },
      { id: uuidv7(), accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.delivered', url, payload: JSON.stringify({ type: 'message.delivered', data: { message_id: id } }), state: 'waiting' },
    ]);
    const worker = startWorker();
    await waitFor(async () => (seen.some((s) => s.messageId === id) ? true : undefined), 'the released callback', 10_000);
    await worker.stop();
    const rows = await database.db.select({ state: callbacks.state }).from(callbacks).where(eq(callbacks.messageId, id));
    expect(rows.map((r) => r.state).sort()).toEqual(['delivered', 'delivered']);
  });

  it('lets go, within seconds, a callback whose insert committed after its predecessor finished (a race no statement saw)', async () => {
    slowTypes.add('message.sent');
    const id = uuidv7();
    const payload = (type: string) => JSON.stringify({ type, data: { message_id: id } });
    await database.db.insert(callbacks).values({ id: uuidv7(), accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.sent', url, payload: payload('message.sent') });
    const worker = startWorker(); // its first sweep, a whole one, finds nothing to let go
    // The transaction that owes "delivered" started while "sent" was unfinished, so it writes
    // it waiting; it commits only after "sent" was answered and recorded, too late for the
    // recorder's own release to see it.
    const tx = await database.pool.connect();
    await tx.query('begin');
    await tx.query(`insert into status.callbacks (id, account_id, subaccount_id, message_id, type, url, payload, state) values ($1, 'acme', 'main', $2, 'message.delivered', $3, $4, 'waiting')`, [uuidv7(), id, url, payload('message.delivered')]);
    await waitFor(async () => {
      const [sent] = await database.db.select({ state: callbacks.state }).from(callbacks).where(and(eq(callbacks.messageId, id), eq(callbacks.type, 'message.sent')));
      return sent?.state === 'delivered' ? true : undefined;
    }, '"sent" answered and recorded', 10_000);
    await tx.query('commit');
    tx.release();
    // Well before the next whole sweep (a minute away): the sweep of recently finished messages.
    await waitFor(async () => (seen.some((s) => s.messageId === id && s.type === 'message.delivered') ? true : undefined), '"delivered" let go', 8_000);
    await worker.stop();
    slowTypes.clear();
    expect(seen.filter((s) => s.messageId === id).map((s) => s.type)).toEqual(['message.sent', 'message.delivered']);
  });

  it('does not let a reply callback release a status callback whose predecessor is still retrying', async () => {
    const id = uuidv7();
    const later = new Date(Date.now() + 3_600_000);
    const sent = uuidv7(); // ids in the order the callbacks were owed
    const delivered = uuidv7();
    await database.db.insert(callbacks).values([
      { id: sent, accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.sent', url, payload: JSON.stringify({ type: 'message.sent', data: { message_id: id } }), state: 'pending', attempts: 1, nextAttemptAt: later },
      { id: delivered, accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.delivered', url, payload: JSON.stringify({ type: 'message.delivered', data: { message_id: id } }), state: 'waiting' },
      { id: uuidv7(), accountId: 'acme', subaccountId: 'main', messageId: id, type: 'message.reply', url, payload: JSON.stringify({ type: 'message.reply', data: { message_id: id } }) },
    ]);
    const worker = startWorker();
    await waitFor(async () => (seen.some((s) => s.messageId === id && s.type === 'message.reply') ? true : undefined), 'the reply callback', 10_000);
    await new Promise((r) => setTimeout(r, 300)); // the attempt recorder writes a few ms later
    await worker.stop();
    const [row] = await database.db.select({ state: callbacks.state }).from(callbacks).where(eq(callbacks.id, delivered));
    expect(row!.state).toBe('waiting');
    expect(seen.filter((s) => s.messageId === id).map((s) => s.type)).toEqual(['message.reply']);
  });
});
