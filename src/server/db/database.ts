import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export type Db = Database.Database;

// A plain path, not `new URL(..., import.meta.url)`: bundlers (Vitest's jsdom runs) rewrite
// the latter into an http URL.
const migrationsDir = join(import.meta.dirname, 'migrations');

/**
 * Opens (creating if needed) the emulator's database in `dataDir` and brings its schema up
 * to date. WAL with synchronous=NORMAL: a commit survives the process being killed (the WAL
 * is written before the 201 is sent); only a power cut may lose the last transactions.
 */
export function openDatabase(dataDir: string, { maxMb = 0 }: { maxMb?: number } = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'switchboard.sqlite'));
  db.pragma('journal_mode = WAL');
  if (maxMb > 0) {
    // A write that would grow the file past the cap fails as on a full disk (SQLITE_FULL).
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor((maxMb * 1024 * 1024) / pageSize))}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads of a call are random over the whole table: 64 MB of page cache and the file
  // mapped into memory keep them off read() and out of SQLite's 2 MB default cache.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  migrate(db);
  checkpointInBackground(db, join(dataDir, 'switchboard.sqlite'));
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
  parentPort.close();
});
`;

function checkpointInBackground(db: Db, file: string): void {
  let worker: Worker;
  try {
    worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: {
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
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  const close = db.close.bind(db);
  db.close = () => {
    worker.postMessage('close');
    return close();
  };
}

function migrate(db: Db): void {
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
