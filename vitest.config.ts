import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Starts a throwaway PostgreSQL cluster once per run when the suites cover PostgreSQL.
    globalSetup: ['test/global-setup.ts'],
  },
});
