import { outboxTable } from '@sabia/db';
import { sending } from './schema';

export const outbox = outboxTable(sending);
