import { processedEventsTable } from '@sabia/db';
import { ticketing } from './schema';

export const processedEvents = processedEventsTable(ticketing);
