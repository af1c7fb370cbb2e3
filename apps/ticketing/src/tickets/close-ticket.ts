import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { tickets } from '../db';
import { isActive, type TicketStatus } from './ticket-status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Closes a waiting or open ticket as the attendant; a closed one cannot be closed again. */
export async function closeTicket(db: Db, principal: UserPrincipal, ticketId: string) {
  if (!UUID.test(ticketId)) throw new InvalidArgumentError('ticket_id must be a UUID', { field: 'ticket_id' });
  return db.transaction(async (tx) => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, ticketId), eq(tickets.accountId, principal.accountId)))
      .for('update');
    if (!ticket) throw new NotFoundError(`ticket ${ticketId} not found`);
    if (!isActive(ticket.status as TicketStatus)) {
      throw new FailedPreconditionError(`ticket ${ticketId} is already ${ticket.status}`);
    }
    const [closed] = await tx
      .update(tickets)
      .set({ status: 'closed_attendant', closedAt: new Date(), closedBy: principal.userId })
      .where(eq(tickets.id, ticketId))
      .returning();
    return closed!;
  });
}
