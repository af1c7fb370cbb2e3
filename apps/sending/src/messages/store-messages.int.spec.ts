import { SUBJECTS } from '@sabia/bus';
import { uuidv7 } from '@sabia/db';
import { migratedDatabase } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox, pooledReservations } from '../db';
import type { Decided } from './store-messages';
import { storeMany } from './store-messages';

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

let n = 0;
/** A single send's decided row; refused when given a refusal. */
function decided(key = `key-${++n}`, refusal?: Decided['refusal']): Decided {
  return {
    row: {
      id: uuidv7(),
      accountId: 'acme',
      subaccountId: 'sales',
      userId: 'ana',
      to: '+5511912345678',
      text: `olá ${n}`,
      encoding: 'ucs2',
      parts: 1,
      carrier: 'vivo',
      correlationId: 'corr-1',
      callbackUrl: 'https://example.com/cb',
      idempotencyKey: key,
      requestHash: 'hash',
      traceId: 'trace',
      batchId: null,
      batchIndex: null,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    },
    refusal,
  };
}

const storedRow = async (id: string) => (await database.db.select().from(messages).where(sql`${messages.id} = ${id}`))[0];
/** The outbox rows whose payload names this message (its id is a string field of every event about it). */
const eventsOf = async (id: string) =>
  (
    await database.db.execute<{ subject: string; payload: Buffer; headers: unknown }>(
      sql`select subject, payload, headers from ${outbox} where position(convert_to(${id}, 'UTF8') in payload) > 0`,
    )
  ).rows;
const outboxCount = async () => Number((await database.db.execute<{ n: string }>(sql`select count(*) as n from ${outbox}`)).rows[0]!.n);
const pooled = async (id: string) => (await database.db.execute(sql`select 1 from ${pooledReservations} where id = ${id}`)).rows.length;
const pool = (id: string) => database.db.execute(sql`insert into ${pooledReservations} (id, account_id) values (${id}, 'acme')`);

describe('storing single sends', () => {
  it('stores one message as a group of several would: the same row, its event, its pool row gone', async () => {
    const alone = decided();
    const [first, second] = [decided(), decided()];
    for (const d of [alone, first, second]) await pool(d.row.id);
    const [storedAlone] = await storeMany(database.db, [alone]);
    const storedTogether = await storeMany(database.db, [first, second]);
    expect(storedAlone?.id).toBe(alone.row.id);
    expect(storedTogether.map((r) => r?.id)).toEqual([first.row.id, second.row.id]);

    const [a, b] = [await storedRow(alone.row.id), await storedRow(first.row.id)];
    const differs = ['id', 'text', 'idempotencyKey', 'createdAt'];
    const same = (r: typeof a) => Object.fromEntries(Object.entries(r!).filter(([k]) => !differs.includes(k)));
    expect(same(a)).toEqual(same(b));
    expect(a).toMatchObject({ state: 'accepted', expiresAt: new Date('2030-01-01T00:00:00Z'), callbackUrl: 'https://example.com/cb' });

    const eventsAlone = await eventsOf(alone.row.id);
    const [eventTogether] = await eventsOf(first.row.id);
    expect(eventsAlone).toHaveLength(1);
    const [eventAlone] = eventsAlone;
    expect(eventAlone?.subject).toBe(SUBJECTS.messageAccepted);
    expect(eventAlone?.subject).toBe(eventTogether?.subject);
    expect(eventAlone?.headers).toEqual(eventTogether?.headers);
    expect(eventAlone?.payload.length).toBe(eventTogether?.payload.length);
    for (const d of [alone, first, second]) expect(await pooled(d.row.id)).toBe(0);
  });

  it('stores a refused one with its code and announces it as sent, not accepted', async () => {
    const refused = decided(undefined, { code: 203, reason: 'blocked by the customer' });
    const [row] = await storeMany(database.db, [refused]);
    expect(row).toMatchObject({ state: 'refused', sentStatus: 203 });
    expect(await storedRow(refused.row.id)).toMatchObject({ state: 'refused', sentStatus: 203, refusalReason: 'blocked by the customer' });
    const events = await eventsOf(refused.row.id);
    expect(events.map((e) => e.subject)).toEqual([SUBJECTS.messageSent]);
  });

  it('a key already taken stores nothing: no row, no event, and its reservation stays pooled', async () => {
    const original = decided('taken');
    await storeMany(database.db, [original]);
    const again = decided('taken');
    await pool(again.row.id);
    const before = await outboxCount();
    const [row] = await storeMany(database.db, [again]);
    expect(row).toBeUndefined();
    expect(await storedRow(again.row.id)).toBeUndefined();
    expect(await outboxCount()).toBe(before);
    expect(await pooled(again.row.id)).toBe(1);
  });
});
