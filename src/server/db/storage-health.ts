import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { statfsSync } from 'node:fs';
import { API_ERRORS } from '../../contract/api-errors.ts';
import type { Db } from './database.ts';

// What the server knows about its storage: a write SQLite refused for lack of space (the
// disk, or the DATA_MAX_MB cap) or because the disk failed. Such a write was rolled back
// whole; its request is answered 503 with a message that says so, and /healthz reports
// the condition until a write succeeds again (or, for a full disk, until there is room).

/** Below this much free space on the data directory's filesystem, it counts as full. */
const MIN_FREE_BYTES = 1024 * 1024;
/** Below this many pages left under DATA_MAX_MB (free in the file or still allowed), full. */
const MIN_FREE_PAGES = 16;

export type StorageProblem = 'full' | 'unavailable';

/** The storage problem an error from SQLite is, if it is one. */
export function storageProblem(error: unknown): StorageProblem | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  if (error.code === 'SQLITE_FULL') return 'full';
  if (/^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(error.code)) return 'unavailable';
  return undefined;
}

export const STORAGE_MESSAGES: Record<StorageProblem, string> = {
  full: API_ERRORS.storageFull.message,
  unavailable: API_ERRORS.storageUnavailable.message,
};

declare module 'fastify' {
  interface FastifyInstance {
    /** What the server knows about its storage (the error handler reports failures here). */
    storage: StorageHealth;
  }
}

export class StorageHealth {
  private problem: StorageProblem | undefined;

  constructor(
    private readonly dataDir: string,
    /** The databases whose DATA_MAX_MB cap counts (the emulator's). */
    private readonly capped: readonly Db[] = [],
  ) {}

  /** A write failed with this problem (it was rolled back). */
  failed(problem: StorageProblem): void {
    this.problem = problem;
  }

  /** A write succeeded: whatever was wrong is over. */
  succeeded(): void {
    this.problem = undefined;
  }

  /** What is wrong now, if anything. */
  check(): StorageProblem | undefined {
    if (this.problem === 'unavailable') return this.problem;
    const free = this.freeBytesOnDisk();
    if (free !== undefined && free < MIN_FREE_BYTES) return 'full';
    if (this.pagesLeft() < MIN_FREE_PAGES) return 'full';
    // With no statfs to ask, what the last write said is all there is to go by.
    return free === undefined ? this.problem : undefined;
  }

  private freeBytesOnDisk(): number | undefined {
    try {
      const stats = statfsSync(this.dataDir);
      return stats.bavail * stats.bsize;
    } catch {
      return undefined;
    }
  }

  /** Pages the database may still take: free ones in the file, and growth up to its cap. */
  private pagesLeft(): number {
    let least = Number.POSITIVE_INFINITY;
    for (const db of this.capped) {
      try {
        const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
        least = Math.min(
          least,
          pragma('max_page_count') - pragma('page_count') + pragma('freelist_count'),
        );
      } catch {
        // A closed database has nothing left to fill.
      }
    }
    return least;
  }
}

/**
 * GET /healthz: 200 once the server is ready, 503 with the reason while storage is full or
 * failing. Every write that succeeds says storage is fine again.
 */
export function healthRoutes(app: FastifyInstance, storage: StorageHealth): void {
  app.decorate('storage', storage);
  app.get('/healthz', async (_request, reply) => {
    const problem = storage.check();
    if (!problem) return { status: 'ok' };
    return reply
      .code(503)
      .send({ status: `storage ${problem}`, message: STORAGE_MESSAGES[problem] });
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) {
      storage.succeeded();
    }
  });
}
