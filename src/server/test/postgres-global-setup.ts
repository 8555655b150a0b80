import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.ts';

// One PostgreSQL cluster for the whole Vitest run (about a second to start); each test file
// that needs one creates a database of its own on it (`testDatabase()`), so files running
// in parallel never see each other's rows, locks or notifications.

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
