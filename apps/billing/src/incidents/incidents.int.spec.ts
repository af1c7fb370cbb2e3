import { migratedDatabase } from '@sabia/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTransfers } from '../ledger/list-transfers';
import { reserve } from '../ledger/reserve';
import { release } from '../ledger/release';
import { reserveBatch } from '../ledger/reserve-batch';
import { settleMessage } from '../ledger/settle';
import { carriersOf, declareIncidentWindow } from './declare-window';
import { incidentStatement } from './incident-statement';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
beforeAll(async () => {
  database = await migratedDatabase('billing', join(__dirname, '../../drizzle'));
});
afterAll(() => database.drop());

const reserveVia = async (carrier: string, parts = 1) => {
  const messageId = randomUUID();
  await reserve(database.db, { tenantId: 'inc', messageId, parts, partPrice: 5n, priceId: 't', currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000), carrier });
  return messageId;
};
const settle = (id: string, action: 'post' | 'void') => database.db.transaction((tx) => settleMessage(tx, id, action));
const kinds = async (id: string) => (await listTransfers(database.db, 'inc', id)).map((t) => t.kind).sort();

describe('incident windows in billing', () => {
  it('voids at once what was reserved inside the window and not yet answered, and never posts it later', async () => {
    const before = new Date(Date.now() - 1000);
    const vivoOpen = await reserveVia('vivo', 2);
    const vivoPosted = await reserveVia('vivo');
    await settle(vivoPosted, 'post'); // the carrier answered before the incident was declared
    const claro = await reserveVia('claro');
    const voided = await declareIncidentWindow(database.db, { incidentId: 'inc-1', startsAt: before, endsAt: undefined, componentIds: ['sms-vivo'] });
    expect(voided).toBe(2);
    expect(await kinds(vivoOpen)).toEqual(['pending', 'pending', 'void_pending', 'void_pending']);
    expect(await settle(vivoOpen, 'post')).toBe(0); // a late SENT_SUCCESS changes nothing
    expect(await kinds(vivoPosted)).toEqual(['pending', 'post_pending']); // settled before: kept
    expect(await kinds(claro)).toEqual(['pending']); // another carrier: untouched
  });

  it('voids, tagged with the incident, what is reserved inside an open window and answered later', async () => {
    const during = await reserveVia('vivo');
    await settle(during, 'post');
    expect(await kinds(during)).toEqual(['pending', 'void_pending']);
    expect(await incidentStatement(database.db, 'inc', 'inc-1')).toEqual([{ currency: 'BRL', messages: 2n, parts: 3n, amount: 15n }]);
    expect(await incidentStatement(database.db, 'someone-else', 'inc-1')).toEqual([]);
  });

  it('stops applying once the window has an end', async () => {
    await declareIncidentWindow(database.db, { incidentId: 'inc-1', startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() - 1), componentIds: ['sms-vivo'] });
    const after = await reserveVia('vivo');
    await settle(after, 'post');
    expect(await kinds(after)).toEqual(['pending', 'post_pending']);
  });

  it('voids a reservation made ahead whose message may have been accepted inside a window, and counts only taken ones', async () => {
    const ahead = async (usableUntil: Date) => {
      const messageId = randomUUID();
      await reserveBatch(database.db, { tenantId: 'inc', items: [{ messageId, parts: 1, partPrice: 5n, priceId: 't', carrier: 'tim', country: 'BR' }], currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000), usableUntil });
      return messageId;
    };
    const soon = new Date(Date.now() + 30_000);
    const usedBeforeIt = await ahead(new Date(Date.now() + 10_000));
    const taken = await ahead(soon);
    const neverTaken = await ahead(soon);
    // Reserved before the window starts, but taken up to 30 s later: the window starts in 20 s.
    // Billing cannot tell which of them a message took, so the declaration leaves them be.
    expect(await declareIncidentWindow(database.db, { incidentId: 'inc-2', startsAt: new Date(Date.now() + 20_000), endsAt: new Date(Date.now() + 120_000), componentIds: ['sms-tim'] })).toBe(0);
    await settle(taken, 'post'); // the carrier's answer: its message may have been accepted inside
    expect(await kinds(taken)).toEqual(['pending', 'void_pending']);
    await settle(usedBeforeIt, 'post'); // taken 10 s from now at the latest: before the window
    expect(await kinds(usedBeforeIt)).toEqual(['pending', 'post_pending']);
    await release(database.db, [neverTaken]); // sending gives back what no message took
    expect(await kinds(neverTaken)).toEqual(['pending', 'void_pending']);
    expect(await incidentStatement(database.db, 'inc', 'inc-2')).toEqual([{ currency: 'BRL', messages: 1n, parts: 1n, amount: 5n }]);
  });

  it('leaves a reservation made ahead inside an open window to its answer or its release when the window is declared', async () => {
    const plain = await reserveVia('oi');
    const ahead = randomUUID();
    await reserveBatch(database.db, { tenantId: 'inc', items: [{ messageId: ahead, parts: 1, partPrice: 5n, priceId: 't', carrier: 'oi', country: 'BR' }], currency: 'BRL', timeoutAt: new Date(Date.now() + 3600_000), usableUntil: new Date(Date.now() + 30_000) });
    expect(await declareIncidentWindow(database.db, { incidentId: 'inc-3', startsAt: new Date(Date.now() - 60_000), endsAt: undefined, componentIds: ['sms-oi'] })).toBe(1);
    expect(await kinds(plain)).toEqual(['pending', 'void_pending']);
    expect(await kinds(ahead)).toEqual(['pending']);
  });

  it('reads carriers from components named sms-<carrier>; anything else covers every carrier', () => {
    expect(carriersOf(['sms-vivo', 'sms-tim'])).toEqual(['vivo', 'tim']);
    expect(carriersOf(['api', 'sms-vivo'])).toEqual([]);
    expect(carriersOf([])).toEqual([]);
  });
});
