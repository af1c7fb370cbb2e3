import type { UserPrincipal } from '@sabia/auth';
import type { Db } from '@sabia/db';
import { FailedPreconditionError, NotFoundError, requireUuid } from '@sabia/errors';
import { and, eq } from 'drizzle-orm';
import { tickets } from '../db';
import { isActive, type TicketStatus } from './ticket-status';


/** Closes a waiting or open ticket as the attendant; a closed one cannot be closed again. */
export async function closeTicket(db: Db, principal: UserPrincipal, ticketId: string) {
  requireUuid(ticketId, 'ticket_id');
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
