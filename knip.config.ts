import type { KnipConfig } from 'knip';

// Dead code and dependencies (`npm run lint` runs knip). Knip's plugins find the entries
// of Vite (index.html), Vitest (the test files), Playwright (the specs and the config's
// webServer commands), ESLint and the package.json scripts; these are the ones they miss.
const config: KnipConfig = {
  entry: [
    // Started by path by the benchmark (bench/api.ts spawns its load generator and the
    // bare-Fastify floor).
    'bench/load.ts',
    'bench/floor-server.ts',
  ],
  project: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
  ignoreDependencies: [
    // Loaded by name, where knip cannot follow: Swagger UI's files through createRequire
    // (routes/docs.ts), pino-pretty as a pino transport (http/request-log.ts).
    'swagger-ui-dist',
    'pino-pretty',
    // Run by path by the message catalogue's test (src/web/desk/messages/catalogue.test.ts).
    '@formatjs/cli',
  ],
  // Tests mount a tmpfs where they run as root (storage-full, the read-only DATA_DIR),
  // and create the unprivileged user PostgreSQL runs as (test/postgres-cluster.ts).
  ignoreBinaries: ['mount', 'umount', 'useradd'],
};

export default config;
