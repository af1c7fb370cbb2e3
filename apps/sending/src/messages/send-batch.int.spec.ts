import type { UserPrincipal } from '@sabia/auth';
import { migratedDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modifyBlockedNumbers } from '../customers/modify-blocked-numbers';
import { claimMessages } from '../dispatch/claim-message';
import { messages } from '../db';
import { cancelMessage } from './cancel-message';
import { previewSms } from './preview-sms';
import { sendBatch, type BatchInput, type ReserveBatchPort } from './send-batch';
import { sendSms } from './send-sms';
import { singleSendPorts } from './single-send-ports';
import { loadCarrierConfig } from '../routing/carrier-config';
import { createRouter } from '../routing/router';
import { SHIPPED_CARRIERS_FILE } from '../routing/shipped-carriers';
const router = createRouter(loadCarrierConfig(SHIPPED_CARRIERS_FILE));

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const tenant = (): UserPrincipal => ({ kind: 'user', accountId: `acc-${randomUUID()}`, subaccountId: 'main', userId: 'ana', role: 'administrador' });
const mobile = (i: number) => `+55119${String(10_000_000 + i).padStart(8, '0')}`;

function reserveSpy(limit = Infinity) {
  const calls: Parameters<ReserveBatchPort>[0][] = [];
  const reserveBatch: ReserveBatchPort = async (input) => {
    calls.push(input);
    return input.items.map((_, i) => (i < limit ? 'reserved' : 'no_credit'));
  };
  return { calls, reserveBatch };
}

const batch = (change: Partial<BatchInput> = {}): BatchInput => ({
  text: 'Olá {{nome}}, seu pedido saiu',
  recipients: [0, 1, 2].map((i) => ({ to: mobile(i), text: '', variables: { nome: `N${i}` }, correlationId: '' })),
  idempotencyKey: randomUUID(),
  correlationId: 'campaign-7',
  callbackUrl: '',
  validitySeconds: 0,
  ...change,
});

describe('SendBatch on real Postgres', () => {
  it('decides each recipient on its own, reserves the accepted ones in one call, keeps request order', async () => {
    const who = tenant();
    await modifyBlockedNumbers(database.db, who, { add: [mobile(1)], remove: [] });
    const spy = reserveSpy();
    const input = batch();
    input.recipients.push({ to: '+551132654321', text: 'fixo', variables: {}, correlationId: 'own' });
    const outcome = await sendBatch({ db: database.db, router, reserveBatch: spy.reserveBatch }, who, input);
    expect(outcome.results.map((r) => [r.index, r.sentStatus])).toEqual([[0, null], [1, 203], [2, null], [3, 202]]);
    expect(spy.calls).toHaveLength(1);
    expect(spy.calls[0]!.items.map((i) => i.messageId)).toEqual([outcome.results[0]!.messageId, outcome.results[2]!.messageId]);
    const rows = await database.db.select().from(messages).where(eq(messages.batchId, outcome.batchId));
    const byIndex = new Map(rows.map((r) => [r.batchIndex, r]));
    expect(byIndex.get(0)).toMatchObject({ text: 'Olá N0, seu pedido saiu', correlationId: 'campaign-7', state: 'accepted' });
    expect(byIndex.get(3)).toMatchObject({ text: 'fixo', correlationId: 'own', state: 'refused' });
  });

  it('refuses quota for the recipients billing could not cover', async () => {
    const outcome = await sendBatch({ db: database.db, router, reserveBatch: reserveSpy(2).reserveBatch }, tenant(), batch());
    expect(outcome.results.map((r) => r.sentStatus)).toEqual([null, null, 215]);
    // Stored while billing was deciding, then marked: refused with 215, and 201 at the second level.
    const [refused] = await database.db.select().from(messages).where(eq(messages.id, outcome.results[2]!.messageId));
    expect(refused).toMatchObject({ state: 'refused', sentStatus: 215, refusalDeliveredStatus: 201 });
    const [accepted] = await database.db.select().from(messages).where(eq(messages.id, outcome.results[1]!.messageId));
    expect(accepted).toMatchObject({ state: 'accepted', sentStatus: null });
  });

  it('returns the original results for a repeated key and refuses a changed batch', async () => {
    const who = tenant();
    const input = batch();
    const spy = reserveSpy();
    const first = await sendBatch({ db: database.db, router, reserveBatch: spy.reserveBatch }, who, input);
    const again = await sendBatch({ db: database.db, router, reserveBatch: spy.reserveBatch }, who, input);
    expect(again).toEqual(first);
    expect(spy.calls).toHaveLength(1);
    await expect(sendBatch({ db: database.db, router, reserveBatch: spy.reserveBatch }, who, { ...input, text: 'outro' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });

  it('keeps single sends\' keys apart from a batch\'s: SendSms with a member\'s stored key is a message of its own', async () => {
    const who = tenant();
    const input = batch();
    const outcome = await sendBatch({ db: database.db, router, reserveBatch: reserveSpy().reserveBatch }, who, input);
    const [member] = await database.db.select().from(messages).where(eq(messages.id, outcome.results[0]!.messageId));
    const reserve = async () => 'reserved' as const;
    const deps = { db: database.db, ...singleSendPorts(database.db), router, reserve, release: async () => undefined };
    const request = { to: mobile(9), text: 'avulsa', idempotencyKey: member!.idempotencyKey, correlationId: '', callbackUrl: '', validitySeconds: 0 };
    const single = await sendSms(deps, who, request);
    expect(single.id).not.toBe(member!.id);
    expect(single.to).toBe(mobile(9));
    // …and replays as itself.
    expect((await sendSms(deps, who, request)).id).toBe(single.id);
  });

  it.each<[string, Partial<BatchInput>, RegExp]>([
    ['10,001 recipients', { recipients: Array.from({ length: 10_001 }, (_, i) => ({ to: mobile(i), text: '', variables: { nome: 'x' }, correlationId: '' })) }, /at most 10000/],
    ['no recipients', { recipients: [] }, /must not be empty/],
    ['a missing variable', { recipients: [{ to: mobile(0), text: '', variables: {}, correlationId: '' }] }, /recipients\[0\]: no value for \{\{nome\}\}/],
    ['a number with letters', { recipients: [{ to: '+5511abc', text: 'x', variables: {}, correlationId: '' }] }, /recipients\[0\].to/],
    ['a NUL in one text', { recipients: [{ to: mobile(0), text: 'a\u0000', variables: {}, correlationId: '' }] }, /recipients\[0\].text must not contain NUL/],
  ])('refuses %s with INVALID_ARGUMENT and stores nothing', async (_, change, message) => {
    const who = tenant();
    const err = await sendBatch({ db: database.db, router, reserveBatch: reserveSpy().reserveBatch }, who, batch(change)).catch((e) => e);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(err.message).toMatch(message);
    expect(await database.db.select().from(messages).where(eq(messages.accountId, who.accountId))).toEqual([]);
  });

  it('stores 10,000 recipients', async () => {
    const who = tenant();
    const recipients = Array.from({ length: 10_000 }, (_, i) => ({ to: mobile(i), text: '', variables: { nome: String(i) }, correlationId: '' }));
    const outcome = await sendBatch({ db: database.db, router, reserveBatch: reserveSpy().reserveBatch }, who, batch({ recipients }));
    expect(outcome.results).toHaveLength(10_000);
    expect(outcome.results.every((r, i) => r.index === i && r.sentStatus === null)).toBe(true);
  });
});

describe('CancelMessage and PreviewSms', () => {
  it('cancels an unclaimed message, and a claimed one can no longer be cancelled', async () => {
    const who = tenant();
    const outcome = await sendBatch({ db: database.db, router, reserveBatch: reserveSpy().reserveBatch }, who, batch());
    const [a, b] = outcome.results;
    expect((await cancelMessage(database.db, who, a!.messageId))).toMatchObject({ id: a!.messageId });
    const claimed = await claimMessages(database.db, [a!.messageId, b!.messageId]);
    expect(claimed.has(a!.messageId)).toBe(false); // the dispatcher skips it
    expect(claimed.get(b!.messageId)).toMatchObject({ state: 'submitting' });
    await expect(cancelMessage(database.db, who, b!.messageId)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(cancelMessage(database.db, tenant(), b!.messageId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('previews encoding, parts and characters left', async () => {
    const who = tenant();
    expect(await previewSms(database.db, who, 'a'.repeat(161))).toMatchObject({ encoding: 'GSM7', parts: 2, overLimit: false });
    expect(await previewSms(database.db, who, 'Olá')).toMatchObject({ encoding: 'UCS2', parts: 1, charsLeftInPart: 67 });
  });
});
