import { pgSchema } from 'drizzle-orm/pg-core';

export const sending = pgSchema('sending');
