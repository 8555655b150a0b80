import { defineConfig } from 'vitest/config';
import formatjs from '@formatjs/unplugin/vite';
import react from '@vitejs/plugin-react';
import { compiledCatalogues } from './vite.config.ts';

export default defineConfig({
  // As in the build: messages parsed ahead (the parser stays available here, for tests).
  plugins: [react(), formatjs({ ast: true }), compiledCatalogues()],
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
