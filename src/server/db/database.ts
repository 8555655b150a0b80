import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export type Db = Database.Database;

// A plain path, not `new URL(..., import.meta.url)`: bundlers (Vitest's jsdom runs) rewrite
// the latter into an http URL.
const emulatorMigrations = join(import.meta.dirname, 'migrations');

export interface DatabaseOptions {
  /** The file in the data directory (the emulator's by default). */
  file?: string;
  /** Where its schema's migrations are, `NNN-name.sql`, applied in order once each. */
  migrationsDir?: string;
  /** At most this many megabytes (0 or none: as much as the disk holds). */
  maxMb?: number;
}

/** DATA_DIR cannot be used: the message says why and which directory (for the operator). */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only filesystem',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'it is a file, not a directory',
  ENOSPC: 'the disk is full',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path loops through symbolic links',
};

function dataDirError(dataDir: string, what: string, error: unknown): DataDirError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = WHY[code] ?? (error as Error).message;
  return new DataDirError(
    `DATA_DIR ${resolve(dataDir)}: ${what}: ${why}${code && WHY[code] ? ` (${code})` : ''}.\n` +
      'Set DATA_DIR to a directory this user may create and write to.',
  );
}

/** The directory exists (or is created) and takes a new file, or a DataDirError says why not. */
function checkDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw dataDirError(dataDir, 'cannot be created', error);
  }
  const probe = join(dataDir, `.write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    throw dataDirError(dataDir, 'cannot be written to', error);
  }
}

/**
 * Opens (creating if needed) the emulator's database in `dataDir` and brings its schema up
 * to date. WAL with synchronous=NORMAL: a commit survives the process being killed (the WAL
 * is written before the 201 is sent); only a power cut may lose the last transactions.
 */
export function openDatabase(dataDir: string, options: DatabaseOptions = {}): Db {
  const file = join(dataDir, options.file ?? 'switchboard.sqlite');
  checkDataDir(dataDir);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw dataDirError(dataDir, 'the database cannot be opened', error);
  }
  try {
    db.pragma('journal_mode = WAL');
    // The schema is brought up to date now, so a database file that cannot be written is
    // found at start-up, not by the first write.
    migrate(db, options.migrationsDir ?? emulatorMigrations);
  } catch (error) {
    db.close();
    throw dataDirError(dataDir, 'the database cannot be written', error);
  }
  if (options.maxMb) {
    // A write that would grow the file past the cap fails as on a full disk (SQLITE_FULL).
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(
      `max_page_count = ${Math.max(1, Math.floor((options.maxMb * 1024 * 1024) / pageSize))}`,
    );
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads of a call are random over the whole table: 64 MB of page cache and the file
  // mapped into memory keep them off read() and out of SQLite's 2 MB default cache.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  checkpointInBackground(db, file);
  return db;
}

// Copying the WAL back into the database file (a checkpoint) ends with two fsyncs. SQLite
// does it by default inside whichever commit crosses 1000 WAL pages, so every few hundred
// creates one request waited several milliseconds for the disk. A worker thread with its
// own connection does it instead, every 100 ms: PASSIVE never blocks the writer, and the
// commits on the request path only append to the WAL. Durability is unchanged: a commit is
// in the WAL before its answer is sent, whoever checkpoints it later.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  Atomics.store(workerData.closed, 0, 1);
  Atomics.notify(workerData.closed, 0);
  parentPort.close();
});
`;

function checkpointInBackground(db: Db, file: string): void {
  let worker: Worker;
  // Set by the worker once its connection is closed.
  const closed = new Int32Array(new SharedArrayBuffer(4));
  let running = true;
  try {
    worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: {
        closed,
        file,
        module: createRequire(join(import.meta.dirname, 'database.ts')).resolve('better-sqlite3'),
        intervalMs: 100,
      },
    });
  } catch {
    return; // no worker threads here: SQLite's own checkpoints go on as before
  }
  db.pragma('wal_autocheckpoint = 0');
  worker.unref();
  // Should the worker die, the commits take the checkpoints over again.
  worker.on('error', () => {
    running = false;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  worker.on('exit', () => {
    running = false;
  });
  const close = db.close.bind(db);
  // The worker's connection closes first, and this one waits for it (a bounded wait): the
  // last connection to close is then this one, which checkpoints and removes the WAL before
  // close() returns. Without the wait the worker's close came after, writing in the data
  // directory while a caller already removed it (ENOTEMPTY in the tests' clean-up).
  db.close = () => {
    if (running) {
      worker.postMessage('close');
      Atomics.wait(closed, 0, 0, 2000);
    }
    return close();
  };
}

function migrate(db: Db, migrationsDir: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .sort();
  for (const file of files) {
    const version = Number.parseInt(file, 10);
    if (version <= current) continue;
    const sql = readFileSync(join(migrationsDir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
