import type { sendingEvents } from '@sabia/contracts';
import { migratedDatabase } from '@sabia/testing';
import { eq, inArray } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatus, outbox, statusHistory } from '../db';
import { recordReceipts } from './record-receipt';

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const receiptFor = (messageId: string, stat: string, part = 1): sendingEvents.ReceiptReceived =>
  ({
    messageId, accountId: 'acme', subaccountId: 'acme-main', carrierMessageId: `c-${messageId}-${part}`, stat, err: '000',
    doneAt: new Date(), part, parts: 1, callbackUrl: '', correlationId: '', to: '+5511987654321', receivedAt: new Date(),
  }) as sendingEvents.ReceiptReceived;

describe('recordReceipts', () => {
  it('reports a message with the receipt that recorded its part, not a later contradicting repeat in the same batch', async () => {
    const id = uuidv7();
    await recordReceipts(database.db, [
      { eventId: uuidv7(), receipt: receiptFor(id, 'DELIVRD') },
      { eventId: uuidv7(), receipt: receiptFor(id, 'UNDELIV') }, // the carrier contradicting itself: the first final stands
    ]);
    const [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, id));
    expect(row!.deliveredStatus).toBe(4);
    expect(row!.receiptStat).toBe('DELIVRD');
    // Both receipts stay in the history, as they came.
    const history = await database.db.select().from(statusHistory).where(eq(statusHistory.messageId, id));
    expect(history.map((h) => h.detail.match(/stat:(\w+)/)![1]).sort()).toEqual(['DELIVRD', 'UNDELIV']);
  });

  it('derives a two-part message from both parts when their receipts come in separate batches', async () => {
    const id = uuidv7();
    const part = (n: number, stat: string) => ({ ...receiptFor(id, stat, n), parts: 2 });
    await recordReceipts(database.db, [{ eventId: uuidv7(), receipt: part(1, 'DELIVRD') }]);
    let [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, id));
    expect(row!.deliveredStatus).not.toBe(4); // one part is not the message
    await recordReceipts(database.db, [{ eventId: uuidv7(), receipt: part(2, 'DELIVRD') }]);
    [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, id));
    expect(row!.deliveredStatus).toBe(4);
  });

  it('applies a redelivered receipt once: one history row, one change, one event, however often it comes', async () => {
    await database.db.delete(outbox);
    const id = uuidv7();
    const fact = { eventId: uuidv7(), receipt: receiptFor(id, 'DELIVRD') };
    const other = { eventId: 'sabia_sending:4711', receipt: receiptFor(uuidv7(), 'UNDELIV') }; // an id that is no uuid
    await recordReceipts(database.db, [fact, other]);
    await recordReceipts(database.db, [fact, other]);
    await recordReceipts(database.db, [other, fact]);
    const history = await database.db.select().from(statusHistory).where(inArray(statusHistory.messageId, [id, other.receipt.messageId]));
    expect(history).toHaveLength(2);
    expect(await database.db.select().from(outbox)).toHaveLength(1); // the first batch's two changes, packed
    const [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, other.receipt.messageId));
    expect(row!.deliveredStatus).toBe(104);
  });

  it('applies the new receipts of a batch that also holds a redelivered one', async () => {
    const part = (messageId: string, n: number, stat: string) => ({ ...receiptFor(messageId, stat, n), parts: 2 });
    const id = uuidv7();
    const first = { eventId: uuidv7(), receipt: part(id, 1, 'DELIVRD') };
    await recordReceipts(database.db, [first]);
    await recordReceipts(database.db, [first, { eventId: uuidv7(), receipt: part(id, 2, 'DELIVRD') }]);
    const [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, id));
    expect(row!.deliveredStatus).toBe(4);
    const history = await database.db.select().from(statusHistory).where(eq(statusHistory.messageId, id));
    expect(history.filter((h) => h.detail.startsWith('part:')).map((h) => h.detail.slice(0, 8)).sort()).toEqual(['part:1/2', 'part:2/2']);
  });
});
