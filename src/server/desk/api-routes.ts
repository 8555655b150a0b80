import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeCallType } from '../../contract/call-constants.ts';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../../contract/client.ts';
import {
  DESK_API_PREFIX,
  DESK_ERRORS,
  HISTORY_ACTIONS,
  type CreateOutcome,
  type DeskSession,
} from '../../contract/desk.ts';
import { refusedJsonBytes } from '../http/body.ts';
import { HttpError, errorHandler, notFound } from '../http/errors.ts';
import { eventsRoute } from '../live/events-route.ts';
import type { FeedHub } from '../live/feed-hub.ts';
import { FEED_POSITION_HEADER } from '../../contract/live.ts';
import {
  UpstreamError,
  upstreamJson,
  type Upstream,
  type UpstreamResponse,
} from '../upstream/upstream.ts';
import { CreateOutcomes } from './create-outcomes.ts';
import type { ResolvedSession, Sessions } from './sessions.ts';
import type { AuditAction, DeskStore } from './store/desk-store.ts';
import { deskAgent, readAgents, readAllPages } from './tenant-directory.ts';
import { DeskUpstreamError, checkAnswer, fromUpstreamError } from './upstream-errors.ts';

// The desk's API: exactly the routes the desk uses, each by method and path template, and
// each built anew for the tenant from checked parameters (never the client's path). The
// server, not the browser, decides who acts: every route needs the agent's session, and an
// outbound call is placed as the agent signed in. Bodies go on as the bytes the desk sent.

declare module 'fastify' {
  interface FastifyRequest {
    deskSession: ResolvedSession | null;
  }
}

interface DeskCapabilities {
  simulate: boolean;
  autoplay: boolean;
}

export interface DeskApiOptions {
  upstream: Upstream;
  store: DeskStore;
  sessions: Sessions;
  capabilities: DeskCapabilities;
  tenantName: string;
  /** Roles that may place an outbound call for another agent. */
  actForOthersRoles: readonly string[];
  upstreamTimeoutMs: number;
  embed: { protocol: string; allowedOrigins: string[] };
  /** The live feed: its stream is a route of this API, behind the same session. */
  live?: DeskLiveOptions;
}

export interface DeskLiveOptions {
  hub: FeedHub;
  /** The tenant answered a change made through this API with the call (tenant mode). */
  onCall?(body: Buffer): void;
  /** The tenant answered a flag change with the call's flags (tenant mode). */
  onFlags?(callId: number, body: Buffer): void;
}

/** The query parameters of the call list the desk may pass on (CALL-API.md). */
const LIST_PARAMETERS = new Set([
  'page',
  'per',
  'status',
  'call_type',
  'agent_email',
  'end_user_number',
  'created_at[from]',
  'created_at[to]',
  'updated_at[from]',
  'updated_at[to]',
  'sort_column',
  'sort_direction',
]);

/** Answer headers the desk needs; every other header of the tenant's stays behind. */
const RELAYED_HEADERS = ['content-type', 'total', 'per-page', 'retry-after'];

function callIdParam(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** The list's own query, with only the parameters the API knows, encoded anew. */
function listQuery(rawUrl: string): string {
  const index = rawUrl.indexOf('?');
  const given = new URLSearchParams(index < 0 ? '' : rawUrl.slice(index + 1));
  const kept = new URLSearchParams();
  for (const [key, value] of given) if (LIST_PARAMETERS.has(key)) kept.append(key, value);
  const text = kept.toString();
  return text ? `?${text}` : '';
}

/** Page links of the tenant's call list, pointed at the desk's own list path. */
function deskLinks(link: string): string {
  return link.replace(/<([^>]*)>/g, (_all, target: string) => {
    const query = target.includes('?') ? target.slice(target.indexOf('?')) : '';
    return `<${DESK_API_PREFIX}${API_PREFIX}/calls${listQuery(query)}>`;
  });
}

/** Aborts when the desk that asked has gone away (its connection closed before the answer). */
function whenClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}

function jsonOf(body: unknown): Record<string, unknown> | undefined {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function deskApiRoutes(app: FastifyInstance, options: DeskApiOptions) {
  const { upstream, store, sessions, capabilities } = options;
  const outcomes = new CreateOutcomes(upstream, store, options.upstreamTimeoutMs);

  app.decorateRequest('deskSession', null);
  // What only the operator can fix (a refused token, a redirecting UPSTREAM_URL) goes to the
  // log in words; the desk gets the API's {"message"} shape as for any other error.
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof DeskUpstreamError && error.operatorHint) {
      request.log[error.statusCode === 502 ? 'error' : 'warn'](
        { upstream: upstream.description, status: error.statusCode },
        error.operatorHint,
      );
    }
    return errorHandler(error as FastifyError, request, reply);
  });
  // The bytes as they came: the tenant gets exactly what the desk sent, once they are
  // text the API could hold (the same check as the emulator's, http/body.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const refused = refusedJsonBytes(body as Buffer);
    if (refused) return done(refused, undefined);
    done(null, body);
  });

  // Which pages may frame the desk is known before sign-in: the desk in a CRM frame must
  // talk to its host (and the CSP of every page says the same already).
  app.get('/embed', async () => ({
    embed_protocol: options.embed.protocol,
    embed_allowed_origins: options.embed.allowedOrigins,
  }));

  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' && request.routeOptions.url === `${DESK_API_PREFIX}/embed`) return;
    const resolved = await sessions.resolve(request);
    if (!resolved) throw new HttpError(401, DESK_ERRORS.signInRequired);
    request.deskSession = resolved;
  });

  const me = (request: FastifyRequest) => request.deskSession!.record.agent;

  if (options.live) {
    // Every desk's one stream of changes, ended with the session it was opened with. It
    // carries the calls this API answers to any signed-in agent, nothing more.
    await app.register(eventsRoute, {
      hub: options.live.hub,
      tagOf: (request) => request.deskSession?.record.id,
    });
  }
  const live = options.live;
  if (live) {
    // Each answer says where the feed stood when it was sent: the desk opens its stream from
    // there, so whatever changed after the desk read its data reaches it.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
      const position = live.hub.position();
      if (position !== null && !reply.hasHeader(FEED_POSITION_HEADER)) {
        reply.header(FEED_POSITION_HEADER, position);
      }
      return payload;
    });
  }

  async function send(
    request: FastifyRequest,
    reply: FastifyReply,
    call: { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: Buffer },
  ): Promise<UpstreamResponse> {
    try {
      return checkAnswer(
        await upstream.request({
          ...call,
          priority: 'agent',
          // A desk that went away no longer waits in the queue (or, for a read, for its answer).
          signal: whenClientGone(reply),
        }),
      );
    } catch (error) {
      if (error instanceof UpstreamError) throw fromUpstreamError(error);
      throw error;
    }
  }

  function relay(reply: FastifyReply, response: UpstreamResponse) {
    reply.code(response.status);
    for (const name of RELAYED_HEADERS) {
      const value = response.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    if (response.headers.link) reply.header('link', deskLinks(response.headers.link));
    return reply.send(response.status === 204 ? undefined : response.body);
  }

  async function audit(
    request: FastifyRequest,
    action: AuditAction,
    callId: number | null,
    before: unknown,
    after: unknown,
  ) {
    const agent = me(request);
    await store.appendAudit({
      at: new Date().toISOString(),
      agentEmail: agent.email,
      agentName: agent.name,
      action,
      callId,
      before,
      after,
    });
  }

  const bodyOf = (request: FastifyRequest) =>
    Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;

  app.get('/session', async (request): Promise<DeskSession> => {
    const { record, transport } = request.deskSession!;
    return {
      agent: record.agent,
      tenant: options.tenantName,
      capabilities: {
        simulate: capabilities.simulate,
        sign_out: true,
        act_for_others: record.agent.roles.some((r) => options.actForOthersRoles.includes(r)),
        autoplay: capabilities.autoplay,
      },
      transport,
      idle_expires_at: new Date(record.idleExpiresAt).toISOString(),
      expires_at: new Date(record.absoluteExpiresAt).toISOString(),
      server_time: new Date().toISOString(),
    };
  });

  // ---- Calls ---------------------------------------------------------------------------

  app.post(`${API_PREFIX}/calls`, async (request, reply) => {
    const body = bodyOf(request);
    const json = jsonOf(body);
    const agent = me(request);
    const outbound = normalizeCallType(json?.call_type) === 'Voice Outbound (API)';
    const named = typeof json?.agent_email === 'string' ? json.agent_email.trim() : '';
    if (outbound && named !== '' && named.toLowerCase() !== agent.email.toLowerCase()) {
      const allowed = agent.roles.some((r) => options.actForOthersRoles.includes(r));
      if (!allowed) throw new HttpError(403, DESK_ERRORS.notYourCall);
    }
    // A create whose answer never came must be found (or known lost) before another.
    const pending = await outcomes.unresolvedFor(agent.email);
    if (pending) {
      return reply
        .code(409)
        .send({ message: DESK_ERRORS.outcomePending, outcome: outcomes.view(pending) });
    }
    const startedAt = new Date();
    let response: UpstreamResponse;
    try {
      response = checkAnswer(
        await upstream.request({
          method: 'POST',
          path: `${API_PREFIX}/calls`,
          ...(body ? { body } : {}),
          priority: 'agent',
        }),
      );
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      if (!error.sent || (error.kind !== 'timeout' && error.kind !== 'unreachable')) {
        throw fromUpstreamError(error);
      }
      // Sent, and no answer: the call may exist. Never sent again; looked for instead.
      request.log.warn({ err: error }, 'create call: outcome unknown');
      const outcome = await outcomes.begin({
        agentEmail: outbound && named ? named : agent.email,
        request: json,
        startedAt,
      });
      if (outcome.state === 'placed' && outcome.callId !== null) {
        const found = await send(request, reply, {
          method: 'GET',
          path: `${API_PREFIX}/calls/${outcome.callId}`,
        });
        await audit(request, 'call.create', outcome.callId, null, { recovered: true });
        return relay(reply.code(201), { ...found, status: 201 });
      }
      return reply
        .code(504)
        .send({ message: DESK_ERRORS.outcomeUnknown, outcome: outcomes.view(outcome) });
    }
    if (response.status === 201) {
      live?.onCall?.(response.body);
      const call = upstreamJson(response) as { id?: number; status?: string; call_type?: string };
      await audit(request, 'call.create', typeof call?.id === 'number' ? call.id : null, null, {
        status: call?.status,
        call_type: call?.call_type,
      });
    }
    return relay(reply, response);
  });

  app.get(`${API_PREFIX}/calls`, async (request, reply) =>
    relay(
      reply,
      await send(request, reply, {
        method: 'GET',
        path: `${MANAGER_PREFIX}/calls${listQuery(request.url)}`,
      }),
    ),
  );

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/calls/:id`, async (request, reply) => {
    const id = callIdParam(request.params.id);
    return relay(
      reply,
      await send(request, reply, { method: 'GET', path: `${API_PREFIX}/calls/${id}` }),
    );
  });

  app.patch<{ Params: { id: string } }>(
    `${API_PREFIX}/calls/scheduled/:id/cancel`,
    async (request, reply) => {
      const id = callIdParam(request.params.id);
      const response = await send(request, reply, {
        method: 'PATCH',
        path: `${API_PREFIX}/calls/scheduled/${id}/cancel`,
      });
      if (response.status === 200) {
        live?.onCall?.(response.body);
        const call = upstreamJson(response) as { status?: string } | undefined;
        // Only a scheduled call can be cancelled: that is what it was before.
        await audit(request, 'call.cancel', id, { status: 'scheduled' }, { status: call?.status });
      }
      return relay(reply, response);
    },
  );

  app.get<{ Params: { id: string } }>(
    `${API_PREFIX}/calls/:id/customer_flag`,
    async (request, reply) => {
      const id = callIdParam(request.params.id);
      return relay(
        reply,
        await send(request, reply, {
          method: 'GET',
          path: `${API_PREFIX}/calls/${id}/customer_flag`,
        }),
      );
    },
  );

  app.patch<{ Params: { id: string } }>(
    `${API_PREFIX}/calls/:id/customer_flag`,
    async (request, reply) => {
      const id = callIdParam(request.params.id);
      const path = `${API_PREFIX}/calls/${id}/customer_flag`;
      // The flags before the change, for the audit log (and an unknown call stops here).
      const before = await send(request, reply, { method: 'GET', path });
      if (before.status !== 200) return relay(reply, before);
      const body = bodyOf(request);
      const response = await send(request, reply, {
        method: 'PATCH',
        path,
        ...(body ? { body } : {}),
      });
      if (response.status === 200) {
        live?.onFlags?.(id, response.body);
        await audit(
          request,
          'customer_flag.update',
          id,
          upstreamJson(before),
          upstreamJson(response),
        );
      }
      return relay(reply, response);
    },
  );

  app.get<{ Params: { id: string } }>('/calls/:id/history', async (request) => {
    const id = callIdParam(request.params.id);
    const entries = await store.auditForCall(id, HISTORY_ACTIONS);
    return {
      entries: entries.map((e) => ({
        id: e.id,
        at: e.at,
        agent_email: e.agentEmail,
        agent_name: e.agentName,
        action: e.action,
        call_id: e.callId,
        before: e.before,
        after: e.after,
      })),
    };
  });

  app.get<{ Params: { id: string } }>('/outcomes/:id', async (request): Promise<CreateOutcome> => {
    const outcome = await outcomes.check(request.params.id, me(request).email);
    if (!outcome) throw notFound();
    return outcomes.view(outcome);
  });

  // ---- The directory -------------------------------------------------------------------

  const list = async (reply: FastifyReply, read: () => Promise<unknown[]>) => {
    try {
      return reply.send(await read());
    } catch (error) {
      if (error instanceof UpstreamError) throw fromUpstreamError(error);
      throw error;
    }
  };

  app.get(`${MANAGER_PREFIX}/agents`, async (_request, reply) =>
    list(reply, async () => (await readAgents(upstream, 'agent')).map(deskAgent)),
  );

  app.get(`${MANAGER_PREFIX}/menus`, async (_request, reply) =>
    list(reply, () => readAllPages(upstream, `${MANAGER_PREFIX}/menus`, 'agent')),
  );

  app.get(`${MANAGER_PREFIX}/settings/call`, async (request, reply) => {
    const response = await send(request, reply, {
      method: 'GET',
      path: `${MANAGER_PREFIX}/settings/call`,
    });
    // A real tenant's Manager API has no such resource: the desk then offers what the Call
    // API itself settles (English, and the numbers it proposes in a 202).
    if (response.status === 404) {
      return { languages: ['en'], outbound_numbers: [], default_outbound_number: null };
    }
    return relay(reply, response);
  });

  // ---- The emulator's Simulate panel (emulator mode only) ---------------------------------

  if (capabilities.simulate) {
    app.post<{ Params: { id: string } }>(
      `${EMULATOR_PREFIX}/calls/:id/events`,
      async (request, reply) => {
        const id = callIdParam(request.params.id);
        const body = bodyOf(request);
        const response = await send(request, reply, {
          method: 'POST',
          path: `${EMULATOR_PREFIX}/calls/${id}/events`,
          ...(body ? { body } : {}),
        });
        if (response.status === 200) {
          const call = upstreamJson(response) as { status?: string } | undefined;
          await audit(request, 'call.event', id, null, {
            type: jsonOf(body)?.type,
            status: call?.status,
          });
        }
        return relay(reply, response);
      },
    );
  }

  app.setNotFoundHandler(() => {
    throw notFound();
  });
}
