import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { readStored, writeStored } from '../lib/storage.ts';

// The agent working at the desk, chosen once in the app bar (or by an embedding host) and
// used to fill "Agent email". Kept in localStorage so it survives reloads and new tabs.

const STORAGE_KEY = 'switchboard:acting-agent';

export interface ActingAgentStore {
  get(): string;
  set(email: string): void;
  subscribe(listener: () => void): () => void;
}

export function createActingAgentStore(initial?: string): ActingAgentStore {
  let current = initial ?? readStored('local', STORAGE_KEY) ?? '';
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(email) {
      const next = email.trim();
      if (next === current) return;
      current = next;
      writeStored('local', STORAGE_KEY, next === '' ? null : next);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const ActingAgentContext = createContext<ActingAgentStore | null>(null);

export function ActingAgentProvider({
  store,
  children,
}: {
  store: ActingAgentStore;
  children: ReactNode;
}) {
  return <ActingAgentContext value={store}>{children}</ActingAgentContext>;
}

export function useActingAgent(): [string, (email: string) => void] {
  const store = useContext(ActingAgentContext);
  if (!store) throw new Error('useActingAgent needs an ActingAgentProvider above it');
  const email = useSyncExternalStore(store.subscribe, store.get, store.get);
  return [email, store.set];
}
