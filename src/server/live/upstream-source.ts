import { API_PREFIX, MANAGER_PREFIX } from '../../contract/client.ts';
import { upstreamJson, type Upstream, type UpstreamResponse } from '../upstream/upstream.ts';
import type { TenantCall, TenantSource } from './tenant-feed.ts';

// The tenant feed's reads, through the one upstream seam and inside its budget, always at
// background priority: an agent's action never waits behind the feed. The calls are the
// same documents the desk API hands the desk (`GET /calls/:id` and the Manager API's list).

const PER_PAGE_MAX = 100;

/** A call object as the feed keeps it, or null when the value is not one. */
export function tenantCallOf(value: unknown, json?: string): TenantCall | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const call = value as Record<string, unknown>;
  if (typeof call.id !== 'number' || !Number.isSafeInteger(call.id)) return null;
  const updatedAt =
    typeof call.updated_at === 'string'
      ? call.updated_at
      : typeof call.created_at === 'string'
        ? call.created_at
        : null;
  if (updatedAt === null || Number.isNaN(Date.parse(updatedAt))) return null;
  return {
    id: call.id,
    json: json ?? JSON.stringify(call),
    status: typeof call.status === 'string' ? call.status : '',
    updatedAt,
    agentEmail: typeof call.agent_email === 'string' ? call.agent_email.toLowerCase() : null,
  };
}

function ok(response: UpstreamResponse, what: string): UpstreamResponse {
  if (response.status !== 200)
    throw new Error(`the tenant answered ${what} with ${response.status}`);
  return response;
}

function listOf(response: UpstreamResponse, what: string): TenantCall[] {
  const body = upstreamJson(ok(response, what));
  if (!Array.isArray(body)) throw new Error(`the tenant answered ${what} with no list`);
  return body.map((item) => tenantCallOf(item)).filter((c): c is TenantCall => c !== null);
}

export function upstreamTenantSource(upstream: Upstream): TenantSource {
  const get = (path: string) => upstream.request({ method: 'GET', path, priority: 'background' });
  const list = (params: Record<string, string>) =>
    `${MANAGER_PREFIX}/calls?${new URLSearchParams(params).toString()}`;
  return {
    async readCall(id) {
      const response = await get(`${API_PREFIX}/calls/${id}`);
      if (response.status === 404) return null;
      const text = ok(response, `call ${id}`).body.toString('utf8');
      // Sent as the tenant wrote it (what the desk API relays), unless it spans lines.
      return tenantCallOf(upstreamJson(response), text.includes('\n') ? undefined : text);
    },
    async readChangedSince(from, page, per) {
      const response = await get(
        list({
          'updated_at[from]': from,
          sort_column: 'updated_at',
          sort_direction: 'ASC',
          per: String(Math.min(per, PER_PAGE_MAX)),
          page: String(page),
        }),
      );
      return listOf(response, 'the calls changed');
    },
    async readNewest() {
      const response = await get(
        list({ sort_column: 'updated_at', sort_direction: 'DESC', per: '1', page: '1' }),
      );
      return listOf(response, 'the newest call')[0]?.updatedAt ?? null;
    },
    async readFlags(id) {
      const response = await get(`${API_PREFIX}/calls/${id}/customer_flag`);
      if (response.status !== 200) return null;
      const flags = upstreamJson(response) as Record<string, unknown> | undefined;
      if (!flags || typeof flags !== 'object') return null;
      return {
        verified_customer: flags.verified_customer === true,
        bad_actor: flags.bad_actor === true,
        repeat_customer: flags.repeat_customer === true,
      };
    },
  };
}
