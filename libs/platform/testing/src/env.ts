import { parseConfig, z } from '@sabia/config';

// Where the test suite's real Postgres and NATS are. scripts/test.ts (npm test) sets these
// after starting or finding the servers; the defaults are the test machines' own.
export const testEnv = parseConfig(
  z.object({
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
    NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  }),
);
