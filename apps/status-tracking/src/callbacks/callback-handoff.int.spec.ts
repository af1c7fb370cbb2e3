import type { UserPrincipal } from '@sabia/auth';
import { sendingEvents } from '@sabia/contracts';
import { uuidv7 } from '@sabia/db';
import { createLogger } from '@sabia/logger';
import { migratedDatabase, startHttpReceiver, waitFor } from '@sabia/testing';
import { AddressPolicy } from '@sabia/webhooks';
import { inArray } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackAttempts, callbacks } from '../db';
import { listCallbacks } from './list-callbacks';
import { recordSent } from '../tracking/record-sent';
import { CallbackCache } from './callback-cache';
import { startCallbackWorker } from './callback-worker';
import type { CallbackHandOff } from './callback-handoff';

// New callbacks go from the transaction that owed them straight to this process's worker,
// leased to it: on a real database and a real receiver, they are delivered once, whether the
// process lives (no claim finds them) or dies right after the commit (another worker takes
// them when the lease ends, not before).
let database: Awaited<ReturnType<typeof migratedDatabase>>;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
let url = '';
const received: string[] = [];
const slow = new Set<string>();

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
  receiver = await startHttpReceiver((req, res) => {
    const id = (JSON.parse(req.body) as { data: { message_id: string } }).data.message_id;
    received.push(id);
    setTimeout(() => res.writeHead(204).end(), slow.has(id) ? 300 : 0); // under the 500 ms timeout
  });
  url = `${receiver.base}/hook`;
});

afterAll(async () => {
  await receiver.close();
  await database.drop();
});

const TIMEOUT_MS = 500; // the lease is 2 × timeout + 5 s = 6 s

const startWorker = (concurrency = 16) =>
  startCallbackWorker(database.db, createLogger('callback-handoff-test', 'silent'), {
    cache: new CallbackCache(database.db),
    policy: new AddressPolicy(['127.0.0.1/32']),
    timeoutMs: TIMEOUT_MS,
    concurrency,
    retryScale: 0.001,
  });

const sentFacts = (ids: string[]) =>
  ids.map((messageId) => ({
    eventId: uuidv7(),
    sent: sendingEvents.MessageSent.fromPartial({
      messageId, accountId: 'acme', subaccountId: 'main', parts: 1, carrier: 'vivo', carrierMessageId: `c-${messageId}`,
      callbackUrl: url, to: '+5511987654321', sentStatus: 2, at: new Date(),
    }),
  }));

const deliveredTo = (ids: string[]) => received.filter((id) => ids.includes(id));

describe('callback hand-off', () => {
  it('delivers a new callback from the transaction that owed it, leased so no claim takes it meanwhile', async () => {
    const worker = startWorker();
    const ids = Array.from({ length: 10 }, () => uuidv7());
    // A hand-off that also notes what it was given: the rows come leased, due after the lease.
    const given: Array<{ id: string; nextAttemptAt: Date }> = [];
    const handOff: CallbackHandOff = { ...worker.handOff, take: (rows, since) => (given.push(...rows), worker.handOff.take(rows, since)) };
    const before = Date.now();
    await recordSent(database.db, sentFacts(ids), handOff);
    expect(given).toHaveLength(10);
    // Two of a claim's leases (2 × timeout + 5 s each): one to wait in memory, one to deliver in.
    for (const row of given) expect(row.nextAttemptAt.getTime()).toBeGreaterThan(before + 11_000);

    await waitFor(async () => (deliveredTo(ids).length >= 10 ? true : undefined), 'ten callbacks', 5_000);
    await worker.stop();
    expect(deliveredTo(ids).sort()).toEqual([...ids].sort());
    const rows = await database.db.select({ state: callbacks.state, attempts: callbacks.attempts }).from(callbacks).where(inArray(callbacks.messageId, ids));
    expect(rows.every((r) => r.state === 'delivered' && r.attempts === 1)).toBe(true);
    // Answered at the first try: the attempt is on the callback's row, none in the history table.
    const [listed] = await listCallbacks(database.db, { kind: 'user', accountId: 'acme', subaccountId: 'main', userId: 'u', role: 'administrador' } satisfies UserPrincipal, ids[0]!);
    expect(listed!.attempts.map((a) => a.httpStatus)).toEqual([204]);
    const history = await database.db.select().from(callbackAttempts).where(inArray(callbackAttempts.callbackId, (await database.db.select({ id: callbacks.id }).from(callbacks).where(inArray(callbacks.messageId, ids))).map((r) => r.id)));
    expect(history).toEqual([]);
  });

  it('writes the callbacks its worker has no room for due at once, for the claim', async () => {
    const worker = startWorker();
    const ids = Array.from({ length: 10 }, () => uuidv7());
    const given: string[] = [];
    const handOff: CallbackHandOff = { ...worker.handOff, room: () => 3, take: (rows, since) => (given.push(...rows.map((r) => r.messageId)), worker.handOff.take(rows, since)) };
    await recordSent(database.db, sentFacts(ids), handOff);
    expect(given).toHaveLength(3);
    await waitFor(async () => (deliveredTo(ids).length >= 10 ? true : undefined), 'ten callbacks', 5_000);
    await new Promise((r) => setTimeout(r, 300));
    await worker.stop();
    expect(deliveredTo(ids).sort()).toEqual([...ids].sort());
  });

  it('leaves the callbacks of a process that died after its commit to the next worker, after their lease, once', async () => {
    const ids = Array.from({ length: 5 }, () => uuidv7());
    const dead: CallbackHandOff = { leaseMs: 2 * TIMEOUT_MS + 5_000, room: () => 100, take: () => {} };
    await recordSent(database.db, sentFacts(ids), dead);
    const worker = startWorker();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(deliveredTo(ids)).toEqual([]); // still leased to the dead process

    await waitFor(async () => (deliveredTo(ids).length >= 5 ? true : undefined), 'the five callbacks after the lease', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await worker.stop();
    expect(deliveredTo(ids).sort()).toEqual([...ids].sort());
  }, 20_000);

  it('gives the callbacks queued in memory back when it stops, so the next worker need not wait out their lease', async () => {
    const ids = Array.from({ length: 5 }, () => uuidv7());
    for (const id of ids) slow.add(id);
    const first = startWorker(1); // one at a time: four wait in memory
    await recordSent(database.db, sentFacts(ids), first.handOff);
    await waitFor(async () => (deliveredTo(ids).length >= 1 ? true : undefined), 'the first callback', 5_000);
    await first.stop(); // waits for the one in flight, gives back the other four
    expect(deliveredTo(ids)).toHaveLength(1);

    const next = startWorker();
    const started = Date.now();
    await waitFor(async () => (deliveredTo(ids).length >= 5 ? true : undefined), 'the four given back', 8_000);
    expect(Date.now() - started).toBeLessThan(6_000); // their lease had 11 s or more to run
    await new Promise((r) => setTimeout(r, 300));
    await next.stop();
    expect(deliveredTo(ids).sort()).toEqual([...ids].sort());
  }, 20_000);
});
