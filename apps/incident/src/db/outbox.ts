import { outboxTable } from '@sabia/db';
import { incident } from './schema';

export const outbox = outboxTable(incident);
