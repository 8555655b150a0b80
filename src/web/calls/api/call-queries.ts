import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { isTerminalStatus, type CallListQuery } from '../../../contract/call-constants.ts';
import type { CallApiClient } from '../../../contract/client.ts';

// Query keys and fetchers, one factory per resource: hooks, prefetching, invalidation and
// optimistic updates all build their keys here.

/** How often a live call (not terminal) and the open list are re-read. */
export const LIVE_CALL_POLL_MS = 2_000;
export const LIST_POLL_MS = 5_000;

export const callQueries = {
  all: () => ['calls'] as const,
  lists: () => [...callQueries.all(), 'list'] as const,
  list: (client: CallApiClient, query: CallListQuery) =>
    queryOptions({
      queryKey: [...callQueries.lists(), query] as const,
      queryFn: ({ signal }) => client.listCalls(query, signal),
      placeholderData: keepPreviousData,
      refetchInterval: LIST_POLL_MS,
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
        return call && isTerminalStatus(call.status) ? false : LIVE_CALL_POLL_MS;
      },
    }),
  flags: (client: CallApiClient, id: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'flags', id] as const,
      queryFn: ({ signal }) => client.getCustomerFlags(id, signal),
    }),
};
