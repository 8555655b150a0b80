import { queryOptions } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';

// The desk's session (mode, tenant, the embedding allowlist): read by the shell, the
// bridge and the pages alike, so this module imports no schema code.

export const sessionQueries = {
  session: (client: CallApiClient) =>
    queryOptions({
      queryKey: ['session'] as const,
      queryFn: ({ signal }) => client.session(signal),
      staleTime: Infinity,
    }),
};
