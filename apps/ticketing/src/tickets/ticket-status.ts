// Ticket states as stored, and which may still be closed by an attendant.
export const TICKET_STATUSES = ['waiting', 'open', 'closed_attendant', 'closed_client', 'transferred'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const isActive = (status: TicketStatus): boolean => status === 'waiting' || status === 'open';
