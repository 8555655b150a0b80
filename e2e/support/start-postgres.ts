// The browser tests' PostgreSQL: a cluster of their own in a temporary directory (as an
// unprivileged user when run as root), on E2E_PG_PORT, removed when Playwright stops it.
import { startPostgresCluster } from '../../src/server/test/postgres-cluster.ts';
import { MULTI_PORTS } from './ports.ts';

const cluster = await startPostgresCluster({ port: MULTI_PORTS.postgres });
// Playwright waits for this line (webServer.wait.stdout).
console.log(`postgres ready on ${cluster.port}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
