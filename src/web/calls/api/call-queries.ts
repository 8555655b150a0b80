import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { isTerminalStatus, type CallListQuery } from '../../../contract/call-constants.ts';
import type { CallApiClient } from '../../../contract/client.ts';
import { isLiveFeedUp } from '../../desk/live-status.ts';

// Query keys and fetchers, one factory per resource: hooks, prefetching, invalidation and
// optimistic updates all build their keys here.

/**
 * How often a live call (not terminal) and the open list are re-read while the live feed
 * is down. While it is up, changes arrive by themselves: nothing polls, and what the feed
 * keeps current is never stale by age.
 */
export const LIVE_CALL_POLL_MS = 2_000;
export const LIST_POLL_MS = 5_000;
const STALE_MS = 5_000;

const whileFeedDown = (ms: number): number | false => (isLiveFeedUp() ? false : ms);
const staleUnlessLive = (): number => (isLiveFeedUp() ? Infinity : STALE_MS);

export const callQueries = {
  all: () => ['calls'] as const,
  lists: () => [...callQueries.all(), 'list'] as const,
  list: (client: CallApiClient, query: CallListQuery) =>
    queryOptions({
      queryKey: [...callQueries.lists(), query] as const,
      queryFn: ({ signal }) => client.listCalls(query, signal),
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
  flags: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'flags', id] as const,
      queryFn: ({ signal }) => client.getCustomerFlags(id, signal),
      staleTime: staleUnlessLive,
    }),
};
