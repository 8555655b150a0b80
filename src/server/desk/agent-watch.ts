import type { FastifyBaseLogger } from 'fastify';
import type { Upstream } from '../upstream/upstream.ts';
import type { Sessions } from './sessions.ts';
import type { DeskStore } from './store/desk-store.ts';
import { findAgent, isActiveAgent, readAgents } from './tenant-directory.ts';

// A session ends when its agent is removed or disabled in the tenant: every so often (and
// only while someone is signed in) the server reads the tenant's agents once, in the
// background share of the budget, and ends the sessions of those no longer there.

export function watchAgents({
  store,
  sessions,
  upstream,
  everyMs,
  log,
  active = () => true,
}: {
  store: DeskStore;
  sessions: Sessions;
  upstream: Upstream;
  everyMs: number;
  log: FastifyBaseLogger;
  /** Whether this server does the check (several servers share a store: one of them does). */
  active?: () => boolean;
}): { check(): Promise<string[]>; stop(): void } {
  let running: Promise<string[]> | undefined;
  const check = () =>
    (running ??= (async () => {
      try {
        const now = Date.now();
        await store.purgeExpired(now);
        const signedIn = await store.activeAgents(now);
        if (signedIn.length === 0) return [];
        const agents = await readAgents(upstream, 'background');
        const gone = signedIn.filter((email) => {
          const agent = findAgent(agents, email);
          return !agent || !isActiveAgent(agent);
        });
        if (gone.length > 0) {
          await sessions.endForAgents(gone);
          log.info({ agents: gone }, 'sessions ended: the agents were removed or disabled');
        }
        return gone;
      } catch (error) {
        log.warn({ err: error }, 'the tenant agents could not be checked; trying again later');
        return [];
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => {
    if (active()) void check();
  }, everyMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
