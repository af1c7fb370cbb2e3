import { processedEventsTable } from '@sabia/db';
import { status } from './schema';

export const processedEvents = processedEventsTable(status);
