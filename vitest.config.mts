import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'e2e/**/*.spec.ts', 'scripts/**/*.spec.ts', 'bench/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: integration files start real processes, so keep parallelism modest.
    maxWorkers: 2,
  },
});
