import { queryOptions } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';

// The desk's session (who is signed in, what the desk may do) and which pages may frame
// it: read by the shell, the bridge and the pages alike, so this module imports no schema
// code.

export const sessionQueries = {
  session: (client: CallApiClient) =>
    queryOptions({
      queryKey: ['session'] as const,
      queryFn: ({ signal }) => client.session(signal),
      staleTime: Infinity,
    }),
  /** Known before sign-in: the bridge talks to its host (and says who signed in) from the start. */
  embed: (client: CallApiClient) =>
    queryOptions({
      queryKey: ['embed-settings'] as const,
      queryFn: ({ signal }) => client.embedSettings(signal),
      staleTime: Infinity,
    }),
};
