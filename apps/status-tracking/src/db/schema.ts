import { pgSchema } from 'drizzle-orm/pg-core';

export const status = pgSchema('status');
