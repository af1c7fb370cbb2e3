import { migratedDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busEnvelope, sendingEvents } from '@sabia/contracts';
import { earlyReceipts, messageParts, messages, outbox } from '../db';
import { recordSubmissions, type PartAnswer } from '../dispatch/record-submissions';
import type { MessageRow } from '../messages/message';
import { recordReceipt, recordReceipts } from './record-receipt';

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'), 20);
});

afterAll(() => database.drop());

async function submittingMessage(parts = 1): Promise<MessageRow> {
  const id = uuidv7();
  const [row] = await database.db
    .insert(messages)
    .values({
      id, accountId: 'acme', subaccountId: 'acme-main', userId: 'u', to: '+5511987654321', text: 'oi',
      encoding: 'GSM7', parts, state: 'submitting', idempotencyKey: id, requestHash: 'h', carrier: 'vivo',
    })
    .returning();
  return row!;
}

const accept = (message: MessageRow, carrierMessageId: string, part = 1) =>
  recordPart({ message, part, carrier: 'vivo', carrierMessageId, sentStatus: 2 });

const recordPart = (answer: PartAnswer) => recordSubmissions(database.db, { parts: [answer], finished: [] });
const finish = (message: MessageRow, totalParts: number, unsent: number) =>
  recordSubmissions(database.db, { parts: [], finished: [{ message, carrier: 'vivo', totalParts, unsent }] }).then((done) => done.has(message.id));

const receipt = { stat: 'DELIVRD', err: '000', doneAt: new Date().toISOString() };

/** The stat of every receipt announced for a message, in outbox order (packed or not). */
async function announcedStats(messageId: string): Promise<string[]> {
  const rows = await database.db.select().from(outbox).where(eq(outbox.subject, 'sabia.sending.receipt-received.v1'));
  return rows
    .flatMap((r) => ((r.headers as Record<string, string>)['sabia-packed'] ? busEnvelope.EventBatch.decode(r.payload).events.map((e) => e.payload) : [r.payload]))
    .map((payload) => sendingEvents.ReceiptReceived.decode(payload))
    .filter((r) => r.messageId === messageId)
    .map((r) => r.stat);
}

describe('a receipt racing its submit_sm_resp', () => {
  it('is announced exactly once whichever transaction commits first', async () => {
    const rows = await Promise.all(Array.from({ length: 40 }, () => submittingMessage()));
    await Promise.all(
      rows.map((row, i) =>
        Promise.all([accept(row, `c${i}`), recordReceipt(database.db, { carrier: 'vivo', carrierMessageId: `c${i}`, receipt })]),
      ),
    );
    expect(await database.db.select().from(earlyReceipts)).toEqual([]);
    const receipts = await database.db.select().from(outbox).where(eq(outbox.subject, 'sabia.sending.receipt-received.v1'));
    expect(receipts).toHaveLength(rows.length);
  });

  it('keeps a receipt for an unknown id until its submit is recorded', async () => {
    const row = await submittingMessage();
    expect(await recordReceipt(database.db, { carrier: 'vivo', carrierMessageId: 'late-1', receipt })).toBe('parked');
    // The same id from another carrier is another message's: it does not release this one.
    await recordPart({ message: await submittingMessage(), part: 1, carrier: 'tim', carrierMessageId: 'late-1', sentStatus: 2 });
    expect(await database.db.select().from(earlyReceipts)).toHaveLength(1);
    await accept(row, 'late-1');
    expect(await database.db.select().from(earlyReceipts)).toEqual([]);
  });

  it('keeps every receipt an unknown id gets, an intermediate one and then the final, and releases them in order', async () => {
    const row = await submittingMessage();
    const enroute = { stat: 'ENROUTE', err: '000', doneAt: new Date().toISOString() };
    expect(await recordReceipt(database.db, { carrier: 'vivo', carrierMessageId: 'late-2', receipt: enroute })).toBe('parked');
    expect(await recordReceipt(database.db, { carrier: 'vivo', carrierMessageId: 'late-2', receipt })).toBe('parked');
    const parkedFor = () => database.db.select().from(earlyReceipts).where(eq(earlyReceipts.carrierMessageId, 'late-2'));
    expect(await parkedFor()).toHaveLength(2);
    await accept(row, 'late-2');
    expect(await parkedFor()).toEqual([]);
    expect(await announcedStats(row.id)).toEqual(['ENROUTE', 'DELIVRD']);
  });

  it('releases receipts parked together in the order they arrived', async () => {
    const row = await submittingMessage();
    const enroute = { stat: 'ENROUTE', err: '000', doneAt: new Date().toISOString() };
    const outcomes = await recordReceipts(database.db, [
      { carrier: 'vivo', carrierMessageId: 'late-3', receipt: enroute },
      { carrier: 'vivo', carrierMessageId: 'late-3', receipt },
    ]);
    expect(outcomes).toEqual(['parked', 'parked']);
    await accept(row, 'late-3');
    expect(await announcedStats(row.id)).toEqual(['ENROUTE', 'DELIVRD']);
  });

  it('matches each receipt of a two-part message to its part, and announces the first level once', async () => {
    const row = await submittingMessage(2);
    await accept(row, 'p1', 1);
    await accept(row, 'p2', 2);
    expect(await finish(row, 2, 2)).toBe(true);
    expect(await finish(row, 2, 2)).toBe(false);
    await recordReceipt(database.db, { carrier: 'vivo', carrierMessageId: 'p2', receipt });
    const events = await database.db.select().from(outbox);
    const receipts = events
      .filter((e) => e.subject === 'sabia.sending.receipt-received.v1')
      .map((e) => sendingEvents.ReceiptReceived.decode(e.payload))
      .filter((r) => r.messageId === row.id);
    expect(receipts.map((r) => [r.part, r.parts, r.carrierMessageId])).toEqual([[2, 2, 'p2']]);
    const sent = events
      .filter((e) => e.subject === 'sabia.sending.message-sent.v1')
      .map((e) => sendingEvents.MessageSent.decode(e.payload))
      .filter((m) => m.messageId === row.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.partStatuses.map((p) => [p.part, p.sentStatus, p.carrierMessageId])).toEqual([[1, 2, 'p1'], [2, 2, 'p2']]);
  });

  it('gives parts never submitted the refused part\'s code, and the message that code', async () => {
    const row = await submittingMessage(3);
    await accept(row, 'q1', 1);
    await recordPart({ message: row, part: 2, carrier: 'vivo', carrierMessageId: '', sentStatus: 103 });
    await finish(row, 3, 103);
    const [stored] = await database.db.select().from(messages).where(eq(messages.id, row.id));
    expect(stored).toMatchObject({ state: 'failed', sentStatus: 103, carrierMessageId: 'q1' });
    const parts = await database.db.select().from(messageParts).where(eq(messageParts.messageId, row.id));
    expect(parts.map((p) => [p.part, p.sentStatus]).sort()).toEqual([[1, 2], [2, 103], [3, 103]]);
  });
});
