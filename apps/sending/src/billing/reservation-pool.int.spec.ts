import type { UserPrincipal } from '@sabia/auth';
import { createLogger } from '@sabia/logger';
import { migratedDatabase, waitFor } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledReservations } from '../db';
import type { ReserveBatchPort } from '../messages/send-batch';
import { sendSms, type ReservePort } from '../messages/send-sms';
import { singleSendPorts } from '../messages/single-send-ports';
import { loadCarrierConfig } from '../routing/carrier-config';
import { createRouter } from '../routing/router';
import { SHIPPED_CARRIERS_FILE } from '../routing/shipped-carriers';
import { ReservationPool, type PoolOptions } from './reservation-pool';

const router = createRouter(loadCarrierConfig(SHIPPED_CARRIERS_FILE));
const logger = createLogger('test', 'silent');
let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const rowsOf = async (ids: string[]) =>
  (await database.db.execute<{ id: string }>(sql`select id::text from ${pooledReservations} where id = any(${sql.param(ids)}::uuid[])`)).rows.map((r) => r.id);

/** Billing as sending sees it: one part costs one unit of credit; what is released comes back. */
function fakeBilling(credit = Number.POSITIVE_INFINITY, opts: { batchDelayMs?: number; answerWhen?: Promise<unknown>; failBatches?: boolean } = {}) {
  const held = new Map<string, { parts: number; key: string }>();
  const asked: string[] = [];
  const batches: Array<{ useWithinSeconds?: number; ids: string[]; recordedFirst: number }> = [];
  const released: string[] = [];
  let available = credit;
  const take = (messageId: string, parts: number, key: string) => {
    if (held.has(messageId)) return 'reserved' as const;
    if (parts > available) return 'no_credit' as const;
    available -= parts;
    held.set(messageId, { parts, key });
    return 'reserved' as const;
  };
  const keyOf = (i: { accountId: string; subaccountId: string; country: string; carrier: string }) => `${i.accountId}/${i.subaccountId}/${i.country}/${i.carrier}`;
  const reserve: ReservePort = async (input) => (asked.push(input.messageId), take(input.messageId, input.parts, keyOf(input)));
  const reserveBatch: ReserveBatchPort = async (input) => {
    const ids = input.items.map((i) => i.messageId);
    batches.push({ useWithinSeconds: input.useWithinSeconds, ids, recordedFirst: (await rowsOf(ids)).length });
    // Reserved at once, answered late (the answer is what travels slowly), or lost.
    const outcomes = input.items.map((i) => take(i.messageId, i.parts, keyOf({ ...input, ...i })));
    if (opts.batchDelayMs) await new Promise((r) => setTimeout(r, opts.batchDelayMs));
    if (opts.answerWhen) await opts.answerWhen;
    if (opts.failBatches) throw new Error('deadline exceeded');
    return outcomes;
  };
  const release = async (ids: string[]) => {
    for (const id of ids) {
      const r = held.get(id);
      if (!r) continue;
      held.delete(id);
      available += r.parts;
      released.push(id);
    }
    return ids.length;
  };
  return { held, asked, batches, released, reserve, reserveBatch, release, available: () => available };
}

function tenant(): UserPrincipal {
  return { kind: 'user', accountId: `acc-${randomUUID()}`, subaccountId: 'main', userId: 'ana', role: 'administrador' };
}

function setUp(billing = fakeBilling(), opts: PoolOptions = { maxSize: 64, ttlMs: 60_000 }) {
  const pool = new ReservationPool({ db: database.db, reserve: billing.reserve, reserveBatch: billing.reserveBatch, release: billing.release, logger }, opts);
  const ports = singleSendPorts(database.db);
  const send = (who: UserPrincipal, to: string, text = 'Olá') =>
    sendSms({ db: database.db, ...ports, router, reserve: pool.reserve, release: billing.release, takeReserved: pool.take }, who, {
      to,
      text,
      idempotencyKey: randomUUID(),
      correlationId: '',
      callbackUrl: '',
      validitySeconds: 0,
    });
  return { billing, pool, send };
}


const VIVO = '+5511987654321';
const CLARO = '+5521961239002';

describe('reservation pool', () => {
  it('after one send billing reserved, the next sends of that key take ids billing reserved ahead, each once', async () => {
    const { billing, pool, send } = setUp();
    const who = tenant();
    const first = await send(who, VIVO);
    expect(billing.asked).toEqual([first.id]);
    await waitFor(async () => (pool.held() > 0 ? true : undefined), 'the pool to fill');
    const pooled = [...billing.held.keys()].filter((id) => id !== first.id);
    // Recorded before billing was asked (a crash in between leaves them to the leftover sweep), and
    // billing told how long one may wait for its message: the TTL and the store's slack.
    expect(billing.batches).toEqual([{ useWithinSeconds: expect.any(Number), ids: pooled, recordedFirst: pooled.length }]);
    // The TTL (shorter in the last minute of a São Paulo month) plus the store's slack.
    expect(billing.batches[0]!.useWithinSeconds).toBeGreaterThan(60);
    expect(billing.batches[0]!.useWithinSeconds).toBeLessThanOrEqual(120);

    const next = await Promise.all([send(who, VIVO), send(who, '+5511987654322')]);
    expect(billing.asked).toEqual([first.id]); // billing was not asked again
    expect(next.map((m) => m.id).every((id) => pooled.includes(id))).toBe(true);
    expect(next[0]!.id).not.toBe(next[1]!.id);
    expect(next.map((m) => m.sentStatus)).toEqual([null, null]);
    // The store deleted the pool rows of the ids it used; the rest wait to be taken or released.
    expect((await rowsOf(pooled)).sort()).toEqual(pooled.filter((id) => !next.some((m) => m.id === id)).sort());
    // Another key (carrier) is never served from this one.
    const other = await send(who, CLARO);
    expect(billing.asked).toEqual([first.id, other.id]);
  });

  it('serves no multi-part message and no refused one from the pool', async () => {
    const { billing, pool, send } = setUp();
    const who = tenant();
    await send(who, VIVO);
    await waitFor(async () => (pool.held() > 0 ? true : undefined), 'the pool to fill');
    const held = pool.held();
    const long = await send(who, VIVO, 'x'.repeat(200));
    expect(long.parts).toBe(2);
    expect(billing.asked).toContain(long.id);
    const refused = await send(who, '+5511123');
    expect(refused.sentStatus).toBe(202);
    expect(pool.held()).toBe(held);
  });

  it('never lets credit it holds refuse a send: exactly as many sends are accepted as the credit pays for', async () => {
    const { billing, pool, send } = setUp(fakeBilling(9));
    const who = tenant();
    await send(who, VIVO); // 1 of 9, and the pool takes the other 8 for Vivo
    await waitFor(async () => (pool.held() === 8 ? true : undefined), 'the pool to hold the rest');
    expect(billing.available()).toBe(0);
    // Claro: billing refuses at first (the credit sits in Vivo's pool), the pool gives it back, billing is asked again.
    const claro = [];
    for (let i = 0; i < 9; i++) claro.push(await send(who, CLARO));
    expect(billing.released.length).toBeGreaterThanOrEqual(8);
    expect(claro.slice(0, 8).every((m) => m.sentStatus === null)).toBe(true);
    expect(claro[8]!.sentStatus).toBe(215);
    expect(claro[8]!.refusalReason).toMatch(/not enough credit \(201\)/);
    expect(billing.available()).toBe(0);
    expect(pool.held()).toBe(0);
  });

  it('gives back what a refill on its way took, when billing refuses a send meanwhile', async () => {
    let answer!: () => void;
    const { billing, send } = setUp(fakeBilling(9, { answerWhen: new Promise<void>((r) => (answer = r)) }));
    const who = tenant();
    await send(who, VIVO); // 1 of 9; the refill takes the other 8 at once and answers when told
    await waitFor(async () => (billing.available() === 0 ? true : undefined), 'the refill to reserve');
    const claro = send(who, CLARO); // refused by billing while the refill is still on its way
    await waitFor(async () => (billing.asked.length === 2 ? true : undefined), 'the refused send');
    answer();
    expect((await claro).sentStatus).toBeNull();
    expect(billing.released).toHaveLength(8);
  });

  it('gives every one of concurrent refused sends its second chance', async () => {
    const { billing, pool, send } = setUp(fakeBilling(9));
    const who = tenant();
    await send(who, VIVO); // 1 of 9; the pool holds the other 8
    await waitFor(async () => (pool.held() === 8 ? true : undefined), 'the pool to fill');
    // Two at once to another carrier: billing refuses both; one of them gives the pool's 8 back,
    // and the other, finding nothing left to give, must still ask again.
    const claro = await Promise.all([CLARO, '+5521961239003'].map((to) => send(who, to)));
    expect(claro.map((m) => m.sentStatus)).toEqual([null, null]);
    expect(billing.asked).toHaveLength(5); // the first send, two refusals, two second chances
  });

  it('keeps the records of a refill whose answer was lost, for the leftover sweep to release again', async () => {
    const { billing, send } = setUp(fakeBilling(Number.POSITIVE_INFINITY, { failBatches: true }));
    const first = await send(tenant(), VIVO);
    await waitFor(async () => (billing.released.length === 8 ? true : undefined), 'the lost refill released');
    const lost = billing.released;
    expect(lost).not.toContain(first.id);
    expect((await rowsOf(lost)).sort()).toEqual([...lost].sort());
  });

  it('holds nothing for an account billing could not fully grant a refill', async () => {
    const { billing, pool, send } = setUp(fakeBilling(3));
    const who = tenant();
    await send(who, VIVO);
    await waitFor(async () => (billing.released.length === 2 ? true : undefined), 'the partial grant given back');
    expect(pool.held()).toBe(0);
    expect(billing.available()).toBe(2);
    const more = [await send(who, VIVO), await send(who, VIVO), await send(who, VIVO)];
    expect(more.map((m) => m.sentStatus)).toEqual([null, null, 215]);
  });

  it('gives a SendBatch the same second chance when pooled credit stood in its way', async () => {
    const { billing, pool, send } = setUp(fakeBilling(9));
    const who = tenant();
    await send(who, VIVO);
    await waitFor(async () => (pool.held() === 8 ? true : undefined), 'the pool to hold the rest');
    const items = [randomUUID(), randomUUID(), randomUUID()].map((messageId) => ({ messageId, parts: 2, country: 'BR', carrier: 'claro' }));
    expect(await pool.reserveBatch({ accountId: who.accountId, subaccountId: 'main', items })).toEqual(['reserved', 'reserved', 'reserved']);
    expect(billing.released).toHaveLength(8);
    expect(billing.available()).toBe(2);
  });

  it('releases what it held past the TTL and never hands it out', async () => {
    const { billing, pool, send } = setUp(fakeBilling(), { maxSize: 64, ttlMs: 200 });
    const who = tenant();
    await send(who, VIVO);
    await waitFor(async () => (pool.held() > 0 ? true : undefined), 'the pool to fill');
    const pooled = [...billing.held.keys()].slice(1);
    await new Promise((r) => setTimeout(r, 250));
    const late = await send(who, VIVO);
    expect(pooled).not.toContain(late.id);
    await waitFor(async () => (pooled.every((id) => billing.released.includes(id)) ? true : undefined), 'the stale ones released');
    // Their rows are deleted after billing answers the release, so that is waited for too.
    await waitFor(async () => ((await rowsOf(pooled)).length === 0 ? true : undefined), 'the stale ones forgotten');
    expect(await rowsOf(pooled)).toEqual([]);
  });

  it('releases everything it holds when it stops', async () => {
    const { billing, pool, send } = setUp();
    await send(tenant(), VIVO);
    await waitFor(async () => (pool.held() > 0 ? true : undefined), 'the pool to fill');
    const pooled = [...billing.held.keys()].slice(1);
    await pool.stop();
    expect(billing.released.sort()).toEqual(pooled.sort());
    expect(await rowsOf(pooled)).toEqual([]);
  });

  it('stops cleanly when billing is already gone, leaving its records to the leftover sweep', async () => {
    const billing = fakeBilling();
    const { pool, send } = setUp({ ...billing, release: async () => Promise.reject(new Error('14 UNAVAILABLE')) });
    const first = await send(tenant(), VIVO);
    await waitFor(async () => (pool.held() > 0 ? true : undefined), 'the pool to fill');
    const pooled = [...billing.held.keys()].filter((id) => id !== first.id);
    await expect(pool.stop()).resolves.toBeUndefined();
    expect((await rowsOf(pooled)).sort()).toEqual([...pooled].sort());
  });

  it('releases, when it stops, also what a refill on its way brings back', async () => {
    const { billing, pool, send } = setUp(fakeBilling(Number.POSITIVE_INFINITY, { batchDelayMs: 200 }));
    const first = await send(tenant(), VIVO);
    await pool.stop();
    const pooled = [...billing.held.keys()].filter((id) => id !== first.id);
    expect(pooled).toEqual([]);
    expect(billing.released).toHaveLength(8);
  });

  it('after a crash, releases the leftovers no message took and only those', async () => {
    const { billing, pool, send } = setUp();
    const who = tenant();
    const taken = await send(who, VIVO);
    const [untaken, recent] = [randomUUID(), randomUUID()];
    const old = new Date(Date.now() - 60 * 60_000);
    await database.db.insert(pooledReservations).values([
      { id: taken.id, accountId: who.accountId, createdAt: old },
      { id: untaken, accountId: who.accountId, createdAt: old },
      { id: recent, accountId: who.accountId },
    ]);
    for (const id of [untaken, recent]) await billing.reserve({ accountId: who.accountId, subaccountId: 'main', messageId: id, parts: 1, country: 'BR', carrier: 'vivo' });
    await pool.releaseLeftovers();
    expect(billing.released).toEqual([untaken]);
    expect(await rowsOf([taken.id, untaken, recent])).toEqual([recent]);
  });
});
