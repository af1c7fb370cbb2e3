import { processedEventsTable } from '@sabia/db';
import { incident } from './schema';

export const processedEvents = processedEventsTable(incident);
