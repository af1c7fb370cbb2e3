import { outboxTable } from '@sabia/db';
import { ticketing } from './schema';

export const outbox = outboxTable(ticketing);
