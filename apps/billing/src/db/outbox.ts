import { outboxTable } from '@sabia/db';
import { billing } from './schema';

export const outbox = outboxTable(billing);
