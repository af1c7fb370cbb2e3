import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db (`npm run db:generate`) and applied at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/incident/src/db/index.ts',
  out: './apps/incident/drizzle',
  schemaFilter: ['incident'],
});
