import { ticketing as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { InvalidArgumentError, PermissionDeniedError } from '@sabia/errors';
import type { CallContext, HandlerKit } from '@sabia/grpc-kit';
import type { tickets } from '../db';
import { closeTicket } from '../tickets/close-ticket';
import { listTickets } from '../tickets/list-tickets';
import type { TicketStatus } from '../tickets/ticket-status';

const TO_PROTO: Record<TicketStatus, pb.TicketStatus> = {
  waiting: pb.TicketStatus.TICKET_STATUS_WAITING,
  open: pb.TicketStatus.TICKET_STATUS_OPEN,
  closed_attendant: pb.TicketStatus.TICKET_STATUS_CLOSED_ATTENDANT,
  closed_client: pb.TicketStatus.TICKET_STATUS_CLOSED_CLIENT,
  transferred: pb.TicketStatus.TICKET_STATUS_TRANSFERRED,
};
const FROM_PROTO = new Map(Object.entries(TO_PROTO).map(([k, v]) => [v, k as TicketStatus]));

const userOf = (ctx: CallContext) => {
  if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('ticketing needs a user token');
  return ctx.principal;
};

const toProto = (t: typeof tickets.$inferSelect): pb.Ticket => ({
  id: t.id,
  botId: t.botId,
  contact: t.contact,
  status: TO_PROTO[t.status as TicketStatus],
  createdAt: t.createdAt,
  windowClosesAt: t.windowClosesAt,
});

export function ticketingService(db: Db, kit: HandlerKit): pb.TicketingServiceServer {
  return {
    listTickets: kit.unary(async (req: pb.ListTicketsRequest, ctx) => {
      const statuses = req.statuses.map((s) => {
        const status = FROM_PROTO.get(s);
        if (!status) throw new InvalidArgumentError(`unknown ticket status ${s}`, { field: 'statuses' });
        return status;
      });
      return { tickets: (await listTickets(db, userOf(ctx), req.botId, statuses)).map(toProto) };
    }),
    closeTicket: kit.unary(async (req: pb.CloseTicketRequest, ctx) => ({
      ticket: toProto(await closeTicket(db, userOf(ctx), req.ticketId)),
    })),
  };
}
