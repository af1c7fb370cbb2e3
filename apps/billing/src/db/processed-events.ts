import { processedEventsTable } from '@sabia/db';
import { billing } from './schema';

export const processedEvents = processedEventsTable(billing);
