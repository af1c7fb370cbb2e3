import type { UserPrincipal } from '@sabia/auth';
import type { DbOrTx } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { tickets } from '../db';
import type { TicketStatus } from './ticket-status';

/** A bot's tickets, newest first, optionally by status — the forum's public API (DESIGN §4). */
export async function listTickets(db: DbOrTx, principal: UserPrincipal, botId: string, statuses: TicketStatus[]) {
  if (!botId) throw new InvalidArgumentError('bot_id is required', { field: 'bot_id' });
  const filters = [eq(tickets.accountId, principal.accountId), eq(tickets.botId, botId)];
  if (statuses.length > 0) filters.push(inArray(tickets.status, statuses));
  return db.select().from(tickets).where(and(...filters)).orderBy(desc(tickets.createdAt)).limit(500);
}
