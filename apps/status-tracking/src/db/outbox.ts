import { outboxTable } from '@sabia/db';
import { status } from './schema';

export const outbox = outboxTable(status);
