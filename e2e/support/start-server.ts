// Starts the real server for the browser tests on a fresh temporary database, and removes
// the database when Playwright stops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
process.env.DATA_DIR = dataDir;
const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
process.on('exit', cleanup);

await import('../../src/server/main.ts');
