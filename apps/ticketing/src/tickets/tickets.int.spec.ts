import type { UserPrincipal } from '@sabia/auth';
import { migratedDatabase } from '@sabia/testing';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../db';
import { closeTicket } from './close-ticket';
import { listTickets } from './list-tickets';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
const acme: UserPrincipal = { kind: 'user', accountId: 'acme', subaccountId: 'acme-main', userId: 'ana', role: 'analista' };
const globex: UserPrincipal = { ...acme, accountId: 'globex' };

async function ticket(accountId: string, status: string, botId = 'bot-1') {
  const [row] = await database.db
    .insert(tickets)
    .values({ id: uuidv7(), accountId, botId, contact: '+5511987654321', status, windowClosesAt: new Date(Date.now() + 3600_000) })
    .returning();
  return row!;
}

beforeAll(async () => {
  database = await migratedDatabase('ticketing', join(__dirname, '../../drizzle'), 10);
});

afterAll(() => database.drop());

describe('tickets', () => {
  it("lists a bot's tickets by status, only the caller's tenant", async () => {
    const waiting = await ticket('acme', 'waiting');
    const open = await ticket('acme', 'open');
    await ticket('acme', 'closed_client');
    await ticket('acme', 'waiting', 'bot-2');
    await ticket('globex', 'waiting');
    const active = await listTickets(database.db, acme, 'bot-1', ['waiting', 'open']);
    expect(active.map((t) => t.id).sort()).toEqual([waiting.id, open.id].sort());
    expect(await listTickets(database.db, acme, 'bot-1', [])).toHaveLength(3);
    await expect(listTickets(database.db, acme, '', [])).rejects.toThrow('bot_id is required');
  });

  it('closes an active ticket as the attendant, once', async () => {
    const t = await ticket('acme', 'open');
    const closed = await closeTicket(database.db, acme, t.id);
    expect(closed).toMatchObject({ status: 'closed_attendant', closedBy: 'ana' });
    await expect(closeTicket(database.db, acme, t.id)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it("answers NOT_FOUND for another tenant's ticket and leaves it untouched", async () => {
    const t = await ticket('acme', 'waiting');
    await expect(closeTicket(database.db, globex, t.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [still] = await listTickets(database.db, acme, 'bot-1', ['waiting']).then((all) => all.filter((x) => x.id === t.id));
    expect(still?.status).toBe('waiting');
  });
});
