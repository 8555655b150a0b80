import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // A PostgreSQL cluster of the run's own, for the tests of the shared (multi-server) state.
    globalSetup: ['src/server/test/postgres-global-setup.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own server on its own temporary database.
    fileParallelism: true,
    pool: 'forks',
  },
});
