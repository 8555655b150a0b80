import type { DirectoryAgent } from '../../contract/directory.ts';
import { MANAGER_PREFIX } from '../../contract/client.ts';
import type { SessionAgent } from './store/desk-store.ts';
import { upstreamJson, type Upstream, type UpstreamPriority } from '../upstream/upstream.ts';
import { DeskUpstreamError, checkAnswer } from './upstream-errors.ts';

// The tenant's agents as its Manager API gives them (TENANT-MODE.md): paged with `page` and
// `per` (at most 100), `status` an object, `roles` a list. The desk's server reads them to
// match a signed-in e-mail to an agent, to end the sessions of agents removed or disabled,
// and adapts them to the desk's own model for its pickers.

const PER_PAGE = 100;
/** 100 pages of 100: a tenant larger than that is not one this desk was measured with. */
const MAX_PAGES = 100;

export interface ManagerAgent {
  id: number;
  email: string;
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  agent_number?: string | null;
  avatar_url?: string | null;
  status?: { name?: string | null } | string | null;
  roles?: unknown;
  /** Keys some tenants (and the emulator, for a disabled agent) carry. */
  disabled?: unknown;
  deactivated?: unknown;
  active?: unknown;
  /** The emulator's own facts, absent on a real tenant. */
  can_make_calls?: unknown;
  outbound_numbers?: unknown;
}

function isManagerAgent(value: unknown): value is ManagerAgent {
  const v = value as ManagerAgent;
  return (
    typeof v === 'object' && v !== null && typeof v.id === 'number' && typeof v.email === 'string'
  );
}

/** Every page of a Manager API list. */
export async function readAllPages(
  upstream: Upstream,
  path: string,
  priority: UpstreamPriority,
): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const response = checkAnswer(
      await upstream.request({
        method: 'GET',
        path: `${path}${separator}page=${page}&per=${PER_PAGE}`,
        priority,
      }),
    );
    const body = upstreamJson(response);
    if (!Array.isArray(body)) {
      throw new DeskUpstreamError(
        502,
        `The tenant answered ${path} with something other than a list`,
      );
    }
    items.push(...body);
    const total = Number(response.headers['total']);
    const more = Number.isFinite(total) ? items.length < total : body.length === PER_PAGE;
    if (!more || body.length === 0) break;
  }
  return items;
}

export async function readAgents(
  upstream: Upstream,
  priority: UpstreamPriority,
): Promise<ManagerAgent[]> {
  return (await readAllPages(upstream, `${MANAGER_PREFIX}/agents`, priority)).filter(
    isManagerAgent,
  );
}

/** False for an agent a tenant marks as disabled or deactivated. */
export function isActiveAgent(agent: ManagerAgent): boolean {
  return agent.disabled !== true && agent.deactivated !== true && agent.active !== false;
}

export function findAgent(
  agents: readonly ManagerAgent[],
  email: string,
): ManagerAgent | undefined {
  const wanted = email.trim().toLowerCase();
  return agents.find((a) => a.email.trim().toLowerCase() === wanted);
}

function agentName(agent: ManagerAgent): string {
  return (
    (typeof agent.name === 'string' && agent.name.trim()) ||
    [agent.first_name, agent.last_name].filter((p) => typeof p === 'string' && p).join(' ') ||
    agent.email
  );
}

function agentRoles(agent: ManagerAgent): string[] {
  return Array.isArray(agent.roles)
    ? agent.roles.filter((r): r is string => typeof r === 'string')
    : [];
}

export function sessionAgent(agent: ManagerAgent): SessionAgent {
  return {
    id: agent.id,
    email: agent.email,
    name: agentName(agent),
    roles: agentRoles(agent),
    avatar_url: typeof agent.avatar_url === 'string' ? agent.avatar_url : null,
  };
}

function statusName(status: ManagerAgent['status']): string {
  if (typeof status === 'string') return status;
  return typeof status?.name === 'string' ? status.name : '';
}

/** The desk's model of an agent, for its pickers. */
export function deskAgent(agent: ManagerAgent): DirectoryAgent {
  return {
    id: agent.id,
    email: agent.email,
    name: agentName(agent),
    first_name: typeof agent.first_name === 'string' ? agent.first_name : null,
    last_name: typeof agent.last_name === 'string' ? agent.last_name : null,
    agent_number: typeof agent.agent_number === 'string' ? agent.agent_number : null,
    avatar_url: typeof agent.avatar_url === 'string' ? agent.avatar_url : null,
    status: /^available$/i.test(statusName(agent.status)) ? 'available' : 'unavailable',
    // A real tenant does not say; the Call API answers for it when the call is placed.
    can_make_calls: typeof agent.can_make_calls === 'boolean' ? agent.can_make_calls : true,
    outbound_numbers: Array.isArray(agent.outbound_numbers)
      ? agent.outbound_numbers.filter((n): n is string => typeof n === 'string')
      : [],
  };
}
