import { QueryClient } from '@tanstack/react-query';
import { isCallApiError } from '../lib/api-error.ts';

/** A 4xx other than 408/429 says the request itself is wrong: asking again will not help. */
export function isRetryable(error: unknown): boolean {
  if (!isCallApiError(error)) return true;
  if (error.status === 0 || error.status === 408 || error.status === 429) return true;
  return error.status >= 500;
}

export function createDeskQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
