import { queryOptions } from '@tanstack/react-query';
import type { CallApiClient } from '../../../contract/client.ts';

// The tenant's directory: read by the shell (the acting agent's picker) as well as the
// pages, so this module imports no schema code.

export const directoryQueries = {
  all: () => ['directory'] as const,
  agents: (client: CallApiClient) =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'agents'] as const,
      queryFn: ({ signal }) => client.listAgents(signal),
      staleTime: 60_000,
    }),
  menus: (client: CallApiClient) =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'menus'] as const,
      queryFn: ({ signal }) => client.listMenus(signal),
      staleTime: 60_000,
    }),
  settings: (client: CallApiClient) =>
    queryOptions({
      queryKey: [...directoryQueries.all(), 'settings'] as const,
      queryFn: ({ signal }) => client.getCallSettings(signal),
      staleTime: 60_000,
    }),
};
