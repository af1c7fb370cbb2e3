import { migratedDatabase } from '@sabia/testing';
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earlyReceipts, messages, outbox } from '../db';
import { recordSubmit } from '../dispatch/record-submit';
import { recordReceipt } from './record-receipt';

let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('sending', join(__dirname, '../../drizzle'), 20);
});

afterAll(() => database.drop());

async function submittingMessage(): Promise<string> {
  const id = uuidv7();
  await database.db.insert(messages).values({
    id, accountId: 'acme', subaccountId: 'acme-main', userId: 'u', to: '+5511987654321', text: 'oi',
    encoding: 'GSM7', parts: 1, state: 'submitting', idempotencyKey: id, requestHash: 'h',
  });
  return id;
}

const receipt = { stat: 'DELIVRD', err: '000', doneAt: new Date().toISOString() };

describe('a receipt racing its submit_sm_resp', () => {
  it('is announced exactly once whichever transaction commits first', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, submittingMessage));
    await Promise.all(
      ids.map((id, i) =>
        Promise.all([
          recordSubmit(database.db, { messageId: id, carrier: 'sim', carrierMessageId: `c${i}`, sentStatus: 2 }),
          recordReceipt(database.db, { carrier: 'sim', carrierMessageId: `c${i}`, receipt }),
        ]),
      ),
    );
    expect(await database.db.select().from(earlyReceipts)).toEqual([]);
    const receipts = await database.db.select().from(outbox).where(eq(outbox.subject, 'sabia.sending.receipt-received.v1'));
    expect(receipts).toHaveLength(ids.length);
  });

  it('keeps a receipt for an unknown id until its submit is recorded', async () => {
    const id = await submittingMessage();
    expect(await recordReceipt(database.db, { carrier: 'sim', carrierMessageId: 'late-1', receipt })).toBe('parked');
    expect(await database.db.select().from(earlyReceipts)).toHaveLength(1);
    await recordSubmit(database.db, { messageId: id, carrier: 'sim', carrierMessageId: 'late-1', sentStatus: 2 });
    expect(await database.db.select().from(earlyReceipts)).toEqual([]);
  });
});
