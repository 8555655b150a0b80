import { createContext, useContext, type ReactNode } from 'react';
import type { CallApiClient } from '../../contract/client.ts';

// The desk reaches the Call API only through its own server, which adds the tenant's
// credentials. The client comes from context so tests (and an embedding host) can point
// it at another origin.

/** Every desk request carries this header; the server refuses desk API calls without it. */
export const DESK_HEADER = { 'X-Switchboard-Desk': '1' } as const;

/**
 * Every method of the client is async, so the client itself (with zod and libphonenumber)
 * can load on first use, after the shell has painted, instead of in the entry chunk.
 */
function lazyMethods<T extends object>(
  load: () => Promise<T>,
  nested: ReadonlySet<string> = new Set(),
): T {
  return new Proxy({} as T, {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then') return undefined;
      if (nested.has(key))
        return lazyMethods(() => load().then((o) => (o as Record<string, object>)[key]!));
      return (...args: unknown[]) =>
        load().then((o) =>
          (o as Record<string, (...a: unknown[]) => Promise<unknown>>)[key]!(...args),
        );
    },
  });
}

export function createDeskApiClient(
  baseUrl = '/desk/api',
  fetchImpl?: typeof fetch,
): CallApiClient {
  let client: Promise<CallApiClient> | undefined;
  const load = () =>
    (client ??= import('../../contract/client.ts').then(({ createCallApiClient }) =>
      createCallApiClient({
        baseUrl,
        headers: { ...DESK_HEADER },
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
    ));
  return lazyMethods(load, new Set(['emulator']));
}

const CallApiClientContext = createContext<CallApiClient | null>(null);

export function CallApiClientProvider({
  client,
  children,
}: {
  client: CallApiClient;
  children: ReactNode;
}) {
  return <CallApiClientContext value={client}>{children}</CallApiClientContext>;
}

export function useCallApiClient(): CallApiClient {
  const client = useContext(CallApiClientContext);
  if (!client) throw new Error('useCallApiClient needs a CallApiClientProvider above it');
  return client;
}
