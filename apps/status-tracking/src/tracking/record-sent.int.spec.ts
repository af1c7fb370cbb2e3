import { sendingEvents } from '@sabia/contracts';
import { migratedDatabase } from '@sabia/testing';
import { eq, inArray } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, messageStatus, outbox, statusHistory } from '../db';
import { recordSent, type SentFact } from './record-sent';

// A first level is final, and that is what makes a redelivered MessageSent harmless: no
// processed-event row, the status row itself says the fact was applied.
let database: Awaited<ReturnType<typeof migratedDatabase>>;

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const sentFact = (messageId: string, sentStatus = 2, eventId = uuidv7()): SentFact => ({
  eventId,
  sent: sendingEvents.MessageSent.fromPartial({
    messageId, accountId: 'acme', subaccountId: 'main', parts: 1, carrier: 'vivo', carrierMessageId: `c-${messageId}`,
    callbackUrl: 'https://hooks.example.com/sabia', to: '+5511987654321', sentStatus, at: new Date(),
  }),
});

/** What the batch left behind for these messages: history rows, callbacks owed, outbox rows. */
async function effects(ids: string[]) {
  const history = await database.db.select().from(statusHistory).where(inArray(statusHistory.messageId, ids));
  const owed = await database.db.select().from(callbacks).where(inArray(callbacks.messageId, ids));
  const events = await database.db.select().from(outbox);
  return { history: history.length, callbacks: owed.length, outboxRows: events.length };
}

describe('recordSent', () => {
  it('applies a redelivered batch, or the same facts under new event ids, once', async () => {
    await database.db.delete(outbox);
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    const facts = ids.map((id) => sentFact(id));
    await recordSent(database.db, facts);
    const once = await effects(ids);
    expect(once).toEqual({ history: 3, callbacks: 3, outboxRows: 1 });

    await recordSent(database.db, facts); // the same events again (an ack lost)
    await recordSent(database.db, ids.map((id) => sentFact(id))); // the same facts, published twice
    expect(await effects(ids)).toEqual(once);
  });

  it('records the new messages of a batch that also holds redelivered ones', async () => {
    const old = uuidv7();
    await recordSent(database.db, [sentFact(old)]);
    const fresh = uuidv7();
    await recordSent(database.db, [sentFact(old), sentFact(fresh, 202)]);
    const [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, fresh));
    expect(row!.sentStatus).toBe(202);
    expect((await effects([old])).history).toBe(1);
    expect((await effects([fresh])).history).toBe(1);
  });

  it('refuses a different first level for a message that has one, and writes nothing of its batch', async () => {
    const id = uuidv7();
    await recordSent(database.db, [sentFact(id, 2)]);
    const other = uuidv7();
    await expect(recordSent(database.db, [sentFact(other), sentFact(id, 103)])).rejects.toThrow(`message ${id} already has first level 2, got 103`);
    const [row] = await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, id));
    expect(row!.sentStatus).toBe(2);
    expect(await database.db.select().from(messageStatus).where(eq(messageStatus.messageId, other))).toHaveLength(0);
  });
});
