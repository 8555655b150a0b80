import { join } from 'node:path';

// The desk server's PostgreSQL schema, in one list of migrations: the desk store's tables
// (sessions, sign-ins, hand-overs, audit, creates of unknown outcome), the shared budget's
// window and the live feed's history. Beside this module, so that a bundled server finds
// them where the build copies each module's `migrations` directory.
export const DESK_POSTGRES_MIGRATIONS = join(import.meta.dirname, 'migrations');
