// `npm start`: builds what is stale (the desk, the server) and runs the built server, in
// this process: no TypeScript is compiled at run time, and signals reach the server as
// they are sent.
import { pathToFileURL } from 'node:url';
import { buildAll, SERVER_ENTRY } from './build.mjs';

try {
  await buildAll({ onlyStale: true });
} catch (error) {
  console.error(`The build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
// Stack traces in the log point at src/server, not at the bundle.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(SERVER_ENTRY).href);
