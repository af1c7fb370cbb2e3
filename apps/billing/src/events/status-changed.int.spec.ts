// Billing driven by real status events over NATS JetStream: what posts, what voids, and that
// duplicated or reordered events bill once.
import { connectBus, ensureStreams, SUBJECTS, type Bus } from '@sabia/bus';
import { statusEvents } from '@sabia/contracts';
import { createLogger } from '@sabia/logger';
import { dropNamespace, migratedDatabase, testEnv, testNamespace, waitFor } from '@sabia/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTransfers } from '../ledger/list-transfers';
import { reserve } from '../ledger/reserve';
import { startStatusChangedConsumer } from './status-changed-consumer';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let bus: Bus;
let consumer: { stop(): Promise<void> };

beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'));
  bus = await connectBus(testEnv.NATS_URL, 'billing-events-test', testNamespace());
  await ensureStreams(bus);
  consumer = await startStatusChangedConsumer(database.db, bus, createLogger('billing-test', 'silent'));
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await dropNamespace(testEnv.NATS_URL, bus.names.namespace);
  await database?.drop();
});

const reserved = async (parts: number) => {
  const messageId = randomUUID();
  await reserve(database.db, { tenantId: 'ev', messageId, parts, partPrice: 5n, priceId: 't', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000) });
  return messageId;
};
const publish = (change: Partial<statusEvents.StatusChanged> & { messageId: string }) =>
  bus.js.publish(
    bus.names.subject(SUBJECTS.statusChanged),
    statusEvents.StatusChanged.encode({ accountId: 'ev', subaccountId: 'main', sentStatus: 0, deliveredStatus: 0, parts: 1, partStatuses: [], at: new Date(), ...change }).finish(),
    { msgID: randomUUID() },
  );
const kinds = async (id: string, count: number) =>
  waitFor(async () => {
    const t = await listTransfers(database.db, 'ev', id);
    return t.length >= count ? t.map((x) => `${x.kind}:${x.part}`).sort() : undefined;
  }, `${count} transfers of ${id}`);

describe('status events settle reservations', () => {
  it('posts every part of a delivered message once, whatever the order and however often the events come', async () => {
    const id = await reserved(2);
    await publish({ messageId: id, deliveredStatus: 4 }); // the receipt's event overtook the first level
    const first = { messageId: id, sentStatus: 2, parts: 2, partStatuses: [{ part: 1, sentStatus: 2, carrierMessageId: 'a' }, { part: 2, sentStatus: 2, carrierMessageId: 'b' }] };
    await publish(first);
    await publish(first); // the same fact again, as another event (a replayed stream)
    expect(await kinds(id, 4)).toEqual(['pending:1', 'pending:2', 'post_pending:1', 'post_pending:2']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await listTransfers(database.db, 'ev', id)).toHaveLength(4);
  });

  it.each([
    ['expired before submission', 101],
    ['rejected by the carrier', 103],
    ['a carrier communication error', 102],
  ])('never bills a message %s', async (_, code) => {
    const id = await reserved(1);
    await publish({ messageId: id, sentStatus: code });
    expect(await kinds(id, 2)).toEqual(['pending:1', 'void_pending:1']);
  });
});
