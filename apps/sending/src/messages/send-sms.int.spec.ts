import type { UserPrincipal } from '@sabia/auth';
import { migratedDatabase } from '@sabia/testing';
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modifyBlockedNumbers } from '../customers/modify-blocked-numbers';
import { modifyOptOuts } from '../customers/modify-opt-outs';
import { DEFAULT_SETTINGS, type CustomerSettings } from '../customers/settings';
import { updateSettings } from '../customers/update-settings';
import { singleSendPorts } from './single-send-ports';
import { messages, outbox } from '../db';
import { sendSms, type ReservePort } from './send-sms';
import { loadCarrierConfig } from '../routing/carrier-config';
import { createRouter } from '../routing/router';
import { SHIPPED_CARRIERS_FILE } from '../routing/shipped-carriers';
const router = createRouter(loadCarrierConfig(SHIPPED_CARRIERS_FILE));

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

/** A fresh tenant per case, so no case sees another's lists or settings. */
function tenant(): UserPrincipal {
  return { kind: 'user', accountId: `acc-${randomUUID()}`, subaccountId: 'main', userId: 'ana', role: 'administrador' };
}

function spyReserve(answer: Awaited<ReturnType<ReservePort>> = 'reserved') {
  const calls: Parameters<ReservePort>[0][] = [];
  const released: string[] = [];
  const reserve: ReservePort = async (input) => (calls.push(input), answer);
  const release = async (ids: string[]) => released.push(...ids);
  return { calls, released, reserve, release };
}

const send = (who: UserPrincipal, to: string, text = 'Olá, sua fatura vence amanhã', spy = spyReserve()) =>
  sendSms({ db: database.db, ...singleSendPorts(database.db), router, reserve: spy.reserve, release: spy.release }, who, { to, text, idempotencyKey: randomUUID(), correlationId: '', callbackUrl: '', validitySeconds: 0 });

const settle = (who: UserPrincipal, changes: Partial<CustomerSettings>) =>
  updateSettings(database.db, who, { settings: { ...DEFAULT_SETTINGS, ...changes }, subaccountId: '', accountDefault: true });

async function eventsFor(messageId: string) {
  const rows = await database.db.select({ subject: outbox.subject, payload: outbox.payload }).from(outbox);
  return rows.filter((r) => Buffer.from(r.payload).includes(Buffer.from(messageId))).map((r) => r.subject);
}

const MOBILE = '+5511987654321';

describe('acceptance rules on real Postgres', () => {
  it.each<[string, (who: UserPrincipal) => Promise<unknown>, string, string | undefined, number]>([
    ['a landline', async () => undefined, '+551132654321', undefined, 202],
    ['a Brazilian mobile without the leading 9', async () => undefined, '+551187654321', undefined, 202],
    ['a blocked number', (w) => modifyBlockedNumbers(database.db, w, { add: [MOBILE], remove: [] }), MOBILE, undefined, 203],
    ['an opted-out number', (w) => modifyOptOuts(database.db, w, { subaccountId: '', add: [MOBILE], remove: [] }), MOBILE, undefined, 204],
    ['a forbidden word', (w) => settle(w, { forbiddenWords: ['Cartão'] }), MOBILE, 'seu cartao chegou', 207],
    ['a country not allowed', async () => undefined, '+5491123456789', undefined, 213],
    ['text over the customer limit', (w) => settle(w, { maxChars: 10 }), MOBILE, 'texto com mais de dez', 214],
    [
      'a blocked number in a forbidden country (first failing check wins)',
      (w) => modifyBlockedNumbers(database.db, w, { add: ['+5491123456789'], remove: [] }),
      '+5491123456789',
      undefined,
      203,
    ],
  ])('%s is stored with code %5$i, never submitted nor reserved', async (_, arrange, to, text, code) => {
    const who = tenant();
    await arrange(who);
    const spy = spyReserve();
    const message = await send(who, to, text, spy);
    expect(message.sentStatus).toBe(code);
    expect(message.refusalReason).toBeTruthy();
    expect(spy.calls).toEqual([]);
    expect(await eventsFor(message.id)).toEqual(['sabia.sending.message-sent.v1']);
    const [row] = await database.db.select().from(messages).where(eq(messages.id, message.id));
    expect(row).toMatchObject({ state: 'refused', sentStatus: code });
  });

  it('accepts a valid mobile: one reservation per message, then MessageAccepted', async () => {
    const spy = spyReserve();
    const message = await send(tenant(), MOBILE, undefined, spy);
    expect(message.sentStatus).toBeNull();
    expect(spy.calls).toEqual([expect.objectContaining({ messageId: message.id, parts: 1, country: 'BR' })]);
    expect(await eventsFor(message.id)).toEqual(['sabia.sending.message-accepted.v1']);
  });

  it.each([['quota_blocked'], ['no_credit']] as const)('stores 215 when billing answers %s', async (answer) => {
    const message = await send(tenant(), MOBILE, undefined, spyReserve(answer));
    expect(message.sentStatus).toBe(215);
  });

  it('transliterates when the customer has accents off', async () => {
    const who = tenant();
    await settle(who, { accentsEnabled: false });
    const message = await send(who, MOBILE, 'Olá, ação já');
    const [row] = await database.db.select().from(messages).where(eq(messages.id, message.id));
    expect(row).toMatchObject({ text: 'Ola, acao ja', encoding: 'GSM7' });
  });

  it('reads national numbers in the default country when allowed', async () => {
    const who = tenant();
    await settle(who, { allowNationalNumbers: true });
    expect((await send(who, '(11) 98765-4321')).to).toBe(MOBILE);
    expect((await send(tenant(), '5511987654321')).to).toBe(MOBILE);
    const inPortugal = tenant();
    await settle(inPortugal, { allowNationalNumbers: true, defaultCountry: 'PT', allowedCountries: ['BR', 'PT'] });
    expect((await send(inPortugal, '912 345 678')).to).toBe('+351912345678');
  });

  it('applies the checks to the number as read: a national number on the blocked list is refused', async () => {
    const who = tenant();
    await settle(who, { allowNationalNumbers: true });
    await modifyBlockedNumbers(database.db, who, { add: [MOBILE], remove: [] });
    const message = await send(who, '(11) 98765-4321');
    expect(message).toMatchObject({ to: MOBILE, sentStatus: 203 });
    // Not allowed, the same digits read as a country code (+11…): not the blocked number, and no valid mobile.
    const strict = tenant();
    await modifyBlockedNumbers(database.db, strict, { add: [MOBILE], remove: [] });
    expect(await send(strict, '11987654321')).toMatchObject({ to: '+11987654321', sentStatus: 202 });
  });

  it('answers a repeated national-number request with the original message', async () => {
    const who = tenant();
    await settle(who, { allowNationalNumbers: true });
    const request = { to: '(11) 98765-4321', text: 'oi', idempotencyKey: randomUUID(), correlationId: '', callbackUrl: '', validitySeconds: 0 };
    const spy = spyReserve();
    const deps = { db: database.db, ...singleSendPorts(database.db), router, reserve: spy.reserve, release: spy.release };
    const first = await sendSms(deps, who, request);
    const again = await sendSms(deps, who, request);
    expect(again.id).toBe(first.id);
    expect(spy.calls).toHaveLength(1);
  });

  // One store: the 20 land in one statement; a store each: 20 statements race on the index.
  it.each([['in one group commit', true], ['in separate statements', false]])('creates exactly one message for concurrent requests with one key (%s)', async (_, shared) => {
    const who = tenant();
    const request = { to: MOBILE, text: 'oi', idempotencyKey: 'same', correlationId: '', callbackUrl: '', validitySeconds: 0 };
    const spy = spyReserve();
    const one = singleSendPorts(database.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => sendSms({ db: database.db, ...(shared ? one : singleSendPorts(database.db)), router, reserve: spy.reserve, release: spy.release }, who, request)),
    );
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    // Requests that lost the race gave back what they reserved: one reservation remains, the stored message's.
    const kept = spy.calls.map((c) => c.messageId).filter((id) => !spy.released.includes(id));
    expect(kept).toEqual([results[0]!.id]);
    const [count] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.accountId, who.accountId), eq(messages.idempotencyKey, 'same')));
    expect(count!.n).toBe(1);
  });

  it.each([
    ['empty text', { text: '' }],
    ['100 kB of text', { text: 'a'.repeat(100_000) }],
    ['a NUL byte', { text: 'a\u0000b' }],
    ['invalid UTF-16', { text: 'a\ud800b' }],
    ['a number with letters', { to: '+55 11 9876-ABCD' }],
    ['an SQL fragment', { to: "1'; drop table sending.messages;--" }],
    ['a callback to the metadata service', { callbackUrl: 'http://169.254.169.254/latest/meta-data' }],
  ])('refuses %s with INVALID_ARGUMENT and writes nothing', async (_, change) => {
    const who = tenant();
    const request = { to: MOBILE, text: 'oi', idempotencyKey: randomUUID(), correlationId: '', callbackUrl: '', validitySeconds: 0, ...change };
    await expect(sendSms({ db: database.db, ...singleSendPorts(database.db), router, ...spyReserve() }, who, request)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const rows = await database.db.select().from(messages).where(eq(messages.accountId, who.accountId));
    expect(rows).toEqual([]);
  });
});
