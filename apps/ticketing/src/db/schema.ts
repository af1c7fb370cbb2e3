import { pgSchema } from 'drizzle-orm/pg-core';

export const ticketing = pgSchema('ticketing');
