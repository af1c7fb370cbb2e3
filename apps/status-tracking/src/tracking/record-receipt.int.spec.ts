import type { sendingEvents } from '@sabia/contracts';
import { migratedDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatus, statusHistory } from '../db';
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
});
