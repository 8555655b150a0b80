import { MutationCache, QueryCache, QueryClient, type Query } from '@tanstack/react-query';
import { isCallApiError } from '../lib/api-error.ts';

/** A 4xx other than 408/429 says the request itself is wrong: asking again will not help. */
function isRetryable(error: unknown): boolean {
  if (!isCallApiError(error)) return true;
  if (error.status === 0 || error.status === 408 || error.status === 429) return true;
  return error.status >= 500;
}

/**
 * How long before asking again: what the server said (Retry-After), else TanStack Query's
 * own backoff (1 s, 2 s, 4 s …).
 */
export function retryDelay(failureCount: number, error: unknown): number {
  const said = isCallApiError(error) ? error.retryAfter : undefined;
  return Math.min(said !== undefined ? said * 1000 : 1000 * 2 ** failureCount, 10_000);
}

/**
 * The desk's one layer of retries (the API client itself does not retry): a read twice
 * more when asking again may help; a write only when it was refused for the rate (a 429
 * is answered before anything is done, so asking again cannot do it twice).
 */
export function createDeskQueryClient(): QueryClient {
  // A 401 anywhere means the session has ended (expired, signed out in another tab, the
  // agent removed): the session is read again, and the shell then asks to sign in.
  const onError = (error: unknown, failed?: Pick<Query, 'queryKey'>) => {
    if (!isCallApiError(error) || error.status !== 401 || failed?.queryKey[0] === 'session') return;
    // Once: the session itself answering 401 is what the shell then shows.
    const session = queryClient.getQueryState(['session']);
    if (session?.status === 'error') return;
    void queryClient.invalidateQueries({ queryKey: ['session'] });
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
        retryDelay,
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
      mutations: {
        retry: (failureCount, error) =>
          failureCount < 2 && isCallApiError(error) && error.status === 429,
        retryDelay,
      },
    },
  });
  return queryClient;
}
