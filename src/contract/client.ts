import type { z } from 'zod';
import type { CallListQuery } from './call-constants.ts';
import type { Accepted, Call } from './calls.ts';
import type { CreateCallRequest } from './call-requests.ts';
import type { CustomerFlags, CustomerFlagsPatch } from './customer-flags.ts';
import type { CreateOutcome, DeskEmbed, DeskSession, HistoryEntry } from './desk.ts';
import type { CallSettings, DirectoryAgent, DirectoryMenu } from './directory.ts';
import type {
  AgentPatch,
  CallEventRequest,
  ClockRequest,
  MenuPatch,
  SettingsPatch,
} from './emulator.ts';
import type * as ResponseSchemas from './response-schemas.ts';

type Schemas = typeof ResponseSchemas;
type PickSchema<S extends z.ZodType> = (schemas: Schemas) => S;

let schemasLoading: Promise<Schemas> | undefined;

/**
 * The response schemas, imported with the first answer to check rather than with the
 * client: zod is a tenth of a page's first load (24 KB gzip), and nothing needs it before
 * an answer has arrived. A failed import (the connection lost) is asked for again.
 */
function responseSchemas(): Promise<Schemas> {
  schemasLoading ??= import('./response-schemas.ts').catch((error: unknown) => {
    schemasLoading = undefined;
    throw error;
  });
  return schemasLoading;
}

// A typed fetch client for every endpoint of the Call API, the directory and the
// emulator's control API. Successful answers come back typed; every other answer throws
// one error type that carries the status and the server's own message.

export const API_PREFIX = '/apps/api/v1';
export const MANAGER_PREFIX = '/manager/api/v1';
export const EMULATOR_PREFIX = '/emulator';

export class CallApiError extends Error {
  readonly status: number;
  /** Seconds the server asked us to wait (429), when it said. */
  readonly retryAfter: number | undefined;
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown, retryAfter?: number) {
    super(message);
    this.name = 'CallApiError';
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /** True when no answer came at all (offline, server down, aborted). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export interface CallApiClientOptions {
  /** Origin and prefix the API paths are appended to: '' (same origin), '/desk/api', 'http://127.0.0.1:8080'. */
  baseUrl: string;
  /** HTTP Basic credentials; omit when a server in front adds them (the desk). */
  credentials?: { subdomain: string; token: string };
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * How many times a 429 is asked again after its Retry-After (default 0: the caller
   * decides, as the desk does in one place, its query client).
   */
  rateLimitRetries?: number;
  fetch?: typeof fetch;
}

export interface CallPage {
  calls: Call[];
  total: number;
  perPage: number;
  /** RFC 8288 links by rel (first, prev, next, last), as the server sent them. */
  links: Partial<Record<'first' | 'prev' | 'next' | 'last', string>>;
}

export type CreateCallResult = { status: 201; call: Call } | { status: 202; accepted: Accepted };

export type CancelResult = { status: 200; call: Call } | { status: 204 };

function encodeBase64(text: string): string {
  if (typeof btoa === 'function') return btoa(text);
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Parses an RFC 8288 Link header into rel → URI. */
export function parseLinkHeader(header: string | null): CallPage['links'] {
  const links: CallPage['links'] = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?([a-z]+)"?/i.exec(part.trim());
    if (match && ['first', 'prev', 'next', 'last'].includes(match[2]!)) {
      links[match[2] as keyof CallPage['links']] = match[1]!;
    }
  }
  return links;
}

function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retry-After as seconds from now: a number of seconds, or an HTTP date. Missing or not
 * understood is undefined, never 0 ("ask again at once" is not what a server said).
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export function createCallApiClient(options: CallApiClientOptions) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const retries = options.rateLimitRetries ?? 0;
  const baseHeaders: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.credentials) {
    const { subdomain, token } = options.credentials;
    baseHeaders.Authorization = `Basic ${encodeBase64(`${subdomain}:${token}`)}`;
  }

  async function request(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers = { ...baseHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new CallApiError(0, 'The server could not be reached. Check your connection.', error);
      }
      if (response.status === 429 && attempt < retries) {
        // No Retry-After: a second, not at once.
        const wait = parseRetryAfter(response.headers.get('Retry-After')) ?? 1;
        await sleep(Math.min(wait * 1000, 10_000));
        continue;
      }
      return response;
    }
  }

  async function fail(response: Response): Promise<never> {
    let body: unknown = null;
    let message = `The server answered ${response.status}`;
    try {
      body = await response.json();
      if (
        body &&
        typeof body === 'object' &&
        typeof (body as { message?: unknown }).message === 'string'
      ) {
        message = (body as { message: string }).message;
      }
    } catch {
      // A body that is not JSON: keep the status line as the message.
    }
    throw new CallApiError(
      response.status,
      message,
      body,
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  }

  /** The answer's JSON, checked with the schema `pick` chooses. */
  async function parse<S extends z.ZodType>(
    pick: PickSchema<S>,
    response: Response,
  ): Promise<z.output<S>> {
    const [schemas, body] = await Promise.all([responseSchemas(), response.json()]);
    return pick(schemas).parse(body);
  }

  async function json<S extends z.ZodType>(
    pick: PickSchema<S>,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const response = await request(method, path, body, signal);
    if (!response.ok) return fail(response);
    return parse(pick, response);
  }

  const api = (path: string) => `${API_PREFIX}${path}`;
  const manager = (path: string) => `${MANAGER_PREFIX}${path}`;
  const emulator = (path: string) => `${EMULATOR_PREFIX}${path}`;

  return {
    async createCall(body: CreateCallRequest, signal?: AbortSignal): Promise<CreateCallResult> {
      const response = await request('POST', api('/calls'), body, signal);
      if (response.status === 201)
        return { status: 201, call: await parse((s) => s.CallSchema, response) };
      if (response.status === 202) {
        return { status: 202, accepted: await parse((s) => s.AcceptedSchema, response) };
      }
      return fail(response);
    },

    getCall(id: number, signal?: AbortSignal): Promise<Call> {
      return json((s) => s.CallSchema, 'GET', api(`/calls/${id}`), undefined, signal);
    },

    async listCalls(query: CallListQuery = {}, signal?: AbortSignal): Promise<CallPage> {
      const response = await request(
        'GET',
        api(`/calls${toQueryString(query)}`),
        undefined,
        signal,
      );
      if (!response.ok) return fail(response);
      return {
        calls: await parse((s) => s.CallListSchema, response),
        total: Number(response.headers.get('Total') ?? 0),
        perPage: Number(response.headers.get('Per-Page') ?? 0),
        links: parseLinkHeader(response.headers.get('Link')),
      };
    },

    async cancelScheduledCall(id: number): Promise<CancelResult> {
      const response = await request('PATCH', api(`/calls/scheduled/${id}/cancel`));
      if (response.status === 204) return { status: 204 };
      if (response.status === 200)
        return { status: 200, call: await parse((s) => s.CallSchema, response) };
      return fail(response);
    },

    cancelScheduledCalls(callIds: number[]): Promise<Call[]> {
      return json((s) => s.CallListSchema, 'PATCH', api('/calls/scheduled/cancel'), {
        call_ids: callIds,
      });
    },

    getCustomerFlags(id: number, signal?: AbortSignal): Promise<CustomerFlags> {
      return json(
        (s) => s.CustomerFlagsSchema,
        'GET',
        api(`/calls/${id}/customer_flag`),
        undefined,
        signal,
      );
    },

    updateCustomerFlags(id: number, patch: CustomerFlagsPatch): Promise<CustomerFlags> {
      return json((s) => s.CustomerFlagsSchema, 'PATCH', api(`/calls/${id}/customer_flag`), patch);
    },

    listMenus(signal?: AbortSignal): Promise<DirectoryMenu[]> {
      return json((s) => s.DirectoryMenuListSchema, 'GET', manager('/menus'), undefined, signal);
    },

    listAgents(signal?: AbortSignal): Promise<DirectoryAgent[]> {
      return json((s) => s.DirectoryAgentListSchema, 'GET', manager('/agents'), undefined, signal);
    },

    getCallSettings(signal?: AbortSignal): Promise<CallSettings> {
      return json((s) => s.CallSettingsSchema, 'GET', manager('/settings/call'), undefined, signal);
    },

    emulator: {
      async reset(): Promise<void> {
        const response = await request('POST', emulator('/reset'));
        if (response.status !== 204) await fail(response);
      },
      /** The agent as the Manager API shows it (status an object, roles, …). */
      async updateAgent(email: string, patch: AgentPatch): Promise<Record<string, unknown>> {
        const response = await request(
          'PATCH',
          emulator(`/agents/${encodeURIComponent(email)}`),
          patch,
        );
        if (!response.ok) return fail(response);
        return (await response.json()) as Record<string, unknown>;
      },
      updateMenu(id: number, patch: MenuPatch): Promise<DirectoryMenu> {
        return json((s) => s.DirectoryMenuSchema, 'PATCH', emulator(`/menus/${id}`), patch);
      },
      updateSettings(patch: SettingsPatch): Promise<CallSettings> {
        return json((s) => s.CallSettingsSchema, 'PATCH', emulator('/settings'), patch);
      },
      sendEvent(callId: number, event: CallEventRequest): Promise<Call> {
        return json((s) => s.CallSchema, 'POST', emulator(`/calls/${callId}/events`), event);
      },
      setClock(body: ClockRequest): Promise<{ now: string }> {
        return json((s) => s.ClockSchema, 'POST', emulator('/clock'), body);
      },
    },

    /** Only on the desk's own server: who is signed in, and what the desk may do. */
    session(signal?: AbortSignal): Promise<DeskSession> {
      return json((s) => s.DeskSessionSchema, 'GET', '/session', undefined, signal);
    },

    /** Only on the desk's own server: which pages may frame the desk (no session needed). */
    embedSettings(signal?: AbortSignal): Promise<DeskEmbed> {
      return json((s) => s.DeskEmbedSchema, 'GET', '/embed', undefined, signal);
    },

    /** Only on the desk's own server: flag changes and cancels made through the desk. */
    async callHistory(id: number, signal?: AbortSignal): Promise<HistoryEntry[]> {
      const answer = await json(
        (s) => s.HistorySchema,
        'GET',
        `/calls/${id}/history`,
        undefined,
        signal,
      );
      return answer.entries;
    },

    /** Only on the desk's own server: what became of a create whose answer never came. */
    createOutcome(id: string, signal?: AbortSignal): Promise<CreateOutcome> {
      return json(
        (s) => s.CreateOutcomeSchema,
        'GET',
        `/outcomes/${encodeURIComponent(id)}`,
        undefined,
        signal,
      );
    },
  };
}

export type CallApiClient = ReturnType<typeof createCallApiClient>;
