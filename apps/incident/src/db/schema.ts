import { pgSchema } from 'drizzle-orm/pg-core';

export const incident = pgSchema('incident');
