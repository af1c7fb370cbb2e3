import { processedEventsTable } from '@sabia/db';
import { sending } from './schema';

export const processedEvents = processedEventsTable(sending);
