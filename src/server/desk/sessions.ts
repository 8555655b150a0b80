import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeskStore, SessionAgent, SessionRecord } from './store/desk-store.ts';

// Server-side sessions: the browser holds a random secret (in an HttpOnly cookie, or in the
// memory of a CRM frame whose cookies the browser blocks), the store keeps only its hash,
// the agent it belongs to and when it expires, idle and absolutely.

const SESSION_COOKIE = '__Host-switchboard-session';
export const LOGIN_COOKIE = '__Host-switchboard-login';

/** How often a session's idle expiry is pushed back (not on every request: it is a write). */
const TOUCH_EVERY_MS = 60_000;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** How a request proved its session: a cookie, or the token a frame holds in memory. */
type SessionTransport = 'cookie' | 'token';

export interface ResolvedSession {
  record: SessionRecord;
  transport: SessionTransport;
}

export class Sessions {
  /** 'ended' (ids: string[]) when sessions end: sign-out, expiry found, agent removed. */
  readonly events = new EventEmitter();

  constructor(
    private readonly store: DeskStore,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for the agent; answers the secret the browser is to hold. */
  async start(
    agent: SessionAgent,
    {
      loginId = randomSecret(16),
      absoluteExpiresAt,
    }: { loginId?: string; absoluteExpiresAt?: number } = {},
  ): Promise<{ secret: string; record: SessionRecord }> {
    const secret = randomSecret();
    const now = this.now();
    const absolute = absoluteExpiresAt ?? now + this.policy.absoluteMs;
    const record: SessionRecord = {
      id: hashSecret(secret),
      loginId,
      agent,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: Math.min(now + this.policy.idleMs, absolute),
      absoluteExpiresAt: absolute,
    };
    await this.store.createSession(record);
    return { secret, record };
  }

  /** The request's live session (cookie first, then a bearer token), its idle expiry pushed back. */
  async resolve(request: FastifyRequest): Promise<ResolvedSession | undefined> {
    const cookie = request.cookies?.[SESSION_COOKIE];
    const bearer = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(
      request.headers.authorization ?? '',
    )?.[1];
    for (const [secret, transport] of [
      [cookie, 'cookie'],
      [bearer, 'token'],
    ] as const) {
      if (!secret || !/^[A-Za-z0-9_-]{20,200}$/.test(secret)) continue;
      const record = await this.store.getSession(hashSecret(secret));
      if (!record) continue;
      const now = this.now();
      if (record.idleExpiresAt <= now || record.absoluteExpiresAt <= now) {
        await this.store.deleteLogin(record.loginId);
        this.events.emit('ended', [record.id]);
        continue;
      }
      if (now - record.lastSeenAt >= TOUCH_EVERY_MS) {
        record.lastSeenAt = now;
        record.idleExpiresAt = Math.min(now + this.policy.idleMs, record.absoluteExpiresAt);
        await this.store.touchSession(record.id, record.lastSeenAt, record.idleExpiresAt);
      }
      return { record, transport };
    }
    return undefined;
  }

  /**
   * For a connection that outlives its request (the live stream): whether the session with
   * this id lives on, its idle expiry pushed back as a request's would be (an open desk
   * kept it alive by polling before it had a stream). An expired one ends here.
   */
  async keepAlive(id: string): Promise<boolean> {
    const record = await this.store.getSession(id);
    if (!record) return false;
    const now = this.now();
    if (record.idleExpiresAt <= now || record.absoluteExpiresAt <= now) {
      await this.store.deleteLogin(record.loginId);
      this.events.emit('ended', [record.id]);
      return false;
    }
    if (now - record.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.store.touchSession(
        record.id,
        now,
        Math.min(now + this.policy.idleMs, record.absoluteExpiresAt),
      );
    }
    return true;
  }

  /** Sign out: the sign-in ends, with every session handed over from it. */
  async end(record: SessionRecord): Promise<void> {
    const ids = await this.store.deleteLogin(record.loginId);
    if (ids.length > 0) this.events.emit('ended', ids);
  }

  async endForAgents(emails: readonly string[]): Promise<string[]> {
    if (emails.length === 0) return [];
    const ids = await this.store.deleteAgentSessions(emails.map((e) => e.toLowerCase()));
    if (ids.length > 0) this.events.emit('ended', ids);
    return ids;
  }
}

/**
 * The session cookie: HttpOnly (no script reads it), Secure and `__Host-` (this origin only,
 * https or loopback), SameSite=None with Partitioned so that a CRM's frame keeps a cookie of
 * its own, in that CRM's partition, where browsers block third-party cookies.
 */
export function setSessionCookie(reply: FastifyReply, secret: string, expiresAt: number): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'none',
    partitioned: true,
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'none',
    partitioned: true,
  });
}
