import { inject } from 'vitest';
import { createDatabaseAt, dropDatabaseAt } from './postgres-cluster.ts';

// A database of the test file's own on the run's PostgreSQL cluster (postgres-global-setup).

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const url = await createDatabaseAt(adminUrl);
  return { url, drop: () => dropDatabaseAt(adminUrl, url) };
}
