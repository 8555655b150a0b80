import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  isTerminalStatus,
  MAX_PER_PAGE,
  type CallListQuery,
} from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import type { CallApiClient, CallPage } from '../../../contract/client.ts';
import { isLiveFeedUp } from '../../desk/live-status.ts';

// Query keys and fetchers, one factory per resource: hooks, prefetching, invalidation and
// optimistic updates all build their keys here.

/**
 * How often a live call (not terminal) and the open list are re-read while the live feed
 * is down. While it is up, changes arrive by themselves: nothing polls, and what the feed
 * keeps current is never stale by age.
 */
const LIVE_CALL_POLL_MS = 2_000;
export const LIST_POLL_MS = 5_000;
const STALE_MS = 5_000;

const whileFeedDown = (ms: number): number | false => (isLiveFeedUp() ? false : ms);
const staleUnlessLive = (): number => (isLiveFeedUp() ? Infinity : STALE_MS);

/** A list page's order (the API's: a column, then the id, the same way). Negative: a first. */
export function compareBy(query: CallListQuery): (a: Call, b: Call) => number {
  const column = query.sort_column ?? 'created_at';
  const sign = query.sort_direction === 'ASC' ? 1 : -1;
  return (a, b) => {
    const x = column === 'id' ? a.id : Date.parse(a[column] ?? '') || 0;
    const y = column === 'id' ? b.id : Date.parse(b[column] ?? '') || 0;
    return sign * (x - y) || sign * (a.id - b.id);
  };
}

/**
 * One page of the calls in any of several statuses ("waiting": queued, selecting...). The
 * API filters by one status at a time: each is asked for the calls up to this page, in the
 * same order, and the answers are merged (docs/decisions/0033-the-list-s-views.md).
 */
async function listCallsInStatuses(
  client: CallApiClient,
  query: CallListQuery,
  statuses: readonly string[],
  signal?: AbortSignal,
): Promise<CallPage> {
  const page = query.page ?? 1;
  const per = query.per ?? 25;
  const needed = page * per;
  const batch = Math.min(MAX_PER_PAGE, needed);
  const parts = await Promise.all(
    statuses.map(async (status) => {
      const first = await client.listCalls({ ...query, status, page: 1, per: batch }, signal);
      const calls = [...first.calls];
      for (let p = 2; calls.length < Math.min(needed, first.total) && p <= 1_000; p++) {
        const next = await client.listCalls({ ...query, status, page: p, per: batch }, signal);
        if (next.calls.length === 0) break;
        calls.push(...next.calls);
      }
      return { calls, total: first.total };
    }),
  );
  const merged = parts.flatMap((p) => p.calls).sort(compareBy(query));
  return {
    calls: merged.slice((page - 1) * per, page * per),
    total: parts.reduce((sum, p) => sum + p.total, 0),
    perPage: per,
    links: {},
  };
}

export const callQueries = {
  all: () => ['calls'] as const,
  lists: () => [...callQueries.all(), 'list'] as const,
  list: (client: CallApiClient, query: CallListQuery, statuses?: readonly string[]) =>
    queryOptions({
      queryKey: [...callQueries.lists(), query, statuses ?? null] as const,
      queryFn: ({ signal }) =>
        statuses && statuses.length > 1
          ? listCallsInStatuses(client, query, statuses, signal)
          : client.listCalls(
              statuses?.length === 1 ? { ...query, status: statuses[0] } : query,
              signal,
            ),
      placeholderData: keepPreviousData,
      refetchInterval: () => whileFeedDown(LIST_POLL_MS),
      staleTime: staleUnlessLive,
    }),
  details: () => [...callQueries.all(), 'detail'] as const,
  detail: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.details(), id] as const,
      queryFn: ({ signal }) => client.getCall(id, signal),
      // Live while the call can still change; polling stops once it is terminal.
      refetchInterval: (query) => {
        const call = query.state.data;
        if (query.state.status === 'error') return false;
        return call && isTerminalStatus(call.status) ? false : whileFeedDown(LIVE_CALL_POLL_MS);
      },
      staleTime: staleUnlessLive,
    }),
  /**
   * A call looked up by the id typed in the list's search: not polled, a 404 is an answer,
   * and a key of its own (a call's detail key means "this call is open", for the bridge).
   */
  byId: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'lookup', id] as const,
      queryFn: ({ signal }) => client.getCall(id, signal),
      retry: false,
    }),
  flags: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'flags', id] as const,
      queryFn: ({ signal }) => client.getCustomerFlags(id, signal),
      staleTime: staleUnlessLive,
    }),
  /** Flag changes and cancels made through the desk, by agent (the desk server's audit log). */
  history: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'history', id] as const,
      queryFn: ({ signal }) => client.callHistory(id, signal),
    }),
};
