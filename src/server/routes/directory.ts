import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiErrorText } from '../../contract/api-errors.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../../contract/call-constants.ts';
import { parseIsoDateTime } from '../../contract/calls.ts';
import type { CallSettings, DirectoryMenu } from '../../contract/directory.ts';
import { agentDisplayName, type TenantAgent, type TenantMenu } from '../domain/tenant.ts';
import { badRequest } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { listCalls } from './calls.ts';

// The Manager API's directory and call history in the real service's shapes
// (TENANT-MODE.md): bare JSON arrays paged with `page` and `per` (at most 100), with
// `Link`, `Total` and `Per-Page`. Agents carry `status` as an object and their `roles`;
// the emulator's own facts (`can_make_calls`, assigned `outbound_numbers`, `disabled`) ride
// along as extra keys, which a tolerant reader ignores.

export function directoryMenu(m: TenantMenu): DirectoryMenu {
  return {
    id: m.id,
    name: m.name,
    parent_id: m.parent_id,
    position: m.position,
    menu_type: m.menu_type,
    state: m.state,
    deleted: m.deleted,
    hidden: m.hidden,
  };
}

const STATUSES = {
  available: { id: 1, name: 'Available', color: '#2ecc71', wfm_id: null },
  unavailable: { id: 2, name: 'Offline', color: '#95a5a6', wfm_id: null },
} as const;

/** An agent as the Manager API answers it. */
export function managerAgent(a: TenantAgent) {
  const status = a.status === 'available' ? STATUSES.available : STATUSES.unavailable;
  return {
    id: a.id,
    email: a.email,
    first_name: a.first_name,
    middle_name: null,
    last_name: a.last_name,
    name: agentDisplayName(a),
    agent_number: a.agent_number,
    avatar_url: a.avatar_url,
    online: a.status === 'available' && a.disabled !== true,
    status: { ...status },
    status_updated_at: a.status_updated_at ?? null,
    roles: a.roles ?? ['agent'],
    teams: [],
    channels: ['voice'],
    created_at: null,
    last_login_time: null,
    can_make_calls: a.can_make_calls,
    outbound_numbers: [...a.outbound_numbers],
    disabled: a.disabled === true,
  };
}

interface Paging {
  page: number;
  per: number;
}

function positive(query: Record<string, unknown>, name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw badRequest(apiErrorText.paramNotWellFormed(name));
  }
  return Number(value);
}

function paging(query: Record<string, unknown>): Paging {
  return {
    page: positive(query, 'page') ?? 1,
    per: Math.min(positive(query, 'per') ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}

/** One page of `items`, with the Manager API's paging headers. */
function sendPage<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  items: T[],
  keep: Record<string, string> = {},
) {
  const { page, per } = paging(request.query as Record<string, unknown>);
  const total = items.length;
  const last = Math.max(1, Math.ceil(total / per));
  const path = request.url.split('?')[0]!;
  const link = (p: number, rel: string) =>
    `<${path}?${new URLSearchParams({ ...keep, page: String(p), per: String(per) })}>; rel="${rel}"`;
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  reply.header('Total', String(total));
  reply.header('Per-Page', String(per));
  reply.header('Link', links.join(', '));
  return items.slice((page - 1) * per, page * per);
}

export async function directoryRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/menus', async (request, reply) =>
    sendPage(request, reply, request.tenant!.directory.menus.map(directoryMenu)),
  );

  app.get('/agents', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    let agents = request.tenant!.directory.agents;
    const keep: Record<string, string> = {};
    const from = query['status_updated_at[from]'];
    if (from !== undefined) {
      const date = typeof from === 'string' ? parseIsoDateTime(from) : undefined;
      if (!date) throw badRequest(apiErrorText.paramNotWellFormed('status_updated_at[from]'));
      keep['status_updated_at[from]'] = date.toISOString();
      agents = agents.filter(
        (a) => a.status_updated_at && a.status_updated_at >= date.toISOString(),
      );
    }
    const column = query.sort_column;
    if (column !== undefined && column !== 'status_updated_at' && column !== 'id') {
      throw badRequest(apiErrorText.paramNotWellFormed('sort_column'));
    }
    if (column === 'status_updated_at') {
      keep.sort_column = column;
      agents = [...agents].sort((a, b) =>
        (a.status_updated_at ?? '').localeCompare(b.status_updated_at ?? ''),
      );
    }
    return sendPage(request, reply, agents.map(managerAgent), keep);
  });

  app.get('/settings/call', async (request): Promise<CallSettings> => {
    const { settings } = request.tenant!.directory;
    return {
      languages: [...settings.languages],
      outbound_numbers: [...settings.outbound_numbers],
      default_outbound_number: settings.default_outbound_number,
    };
  });

  // The call history, as the real service reads it: the same list as /apps/api/v1/calls.
  app.get('/calls', listCalls(services));
}
