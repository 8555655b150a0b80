import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { readStored, writeStored } from '../lib/storage.ts';

// The agent the desk acts as. Every feature learns it from `useCurrentAgent()` and from
// nowhere else, so that where the value comes from can change in one place: today the
// "Acting agent" picker in the app bar (or an embedding host's set_agent) chooses it and
// localStorage keeps it across reloads and tabs; with sign-in it will come from the
// desk's session (GET /desk/api/session).

const STORAGE_KEY = 'switchboard:acting-agent';

export interface CurrentAgent {
  /** The agent's email, '' when nobody is chosen. */
  email: string;
}

export interface CurrentAgentStore {
  get(): string;
  set(email: string): void;
  subscribe(listener: () => void): () => void;
}

export function createCurrentAgentStore(initial?: string): CurrentAgentStore {
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

const CurrentAgentContext = createContext<CurrentAgentStore | null>(null);

export function CurrentAgentProvider({
  store,
  children,
}: {
  store: CurrentAgentStore;
  children: ReactNode;
}) {
  return <CurrentAgentContext value={store}>{children}</CurrentAgentContext>;
}

function useStore(): CurrentAgentStore {
  const store = useContext(CurrentAgentContext);
  if (!store) throw new Error('useCurrentAgent needs a CurrentAgentProvider above it');
  return store;
}

/** The agent the desk acts as ("My calls", the outbound form's agent, Simulate's assignee). */
export function useCurrentAgent(): CurrentAgent {
  const store = useStore();
  const email = useSyncExternalStore(store.subscribe, store.get, store.get);
  return { email };
}

/**
 * Chooses the agent by hand: the app bar's picker. Goes away with sign-in, when the
 * session says who the agent is.
 */
export function useChooseCurrentAgent(): (email: string) => void {
  return useStore().set;
}
