import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { BridgeState } from './bridge-connection.ts';
import type { EmbedHandle } from './start-embed.ts';

// The running bridge, for the pages that show it (the diagnostics page) or adapt to it
// (the compact layout in a frame). Without a provider the desk is taken as not embedded.

const EmbedContext = createContext<EmbedHandle | null>(null);

export function EmbedProvider({ handle, children }: { handle: EmbedHandle; children: ReactNode }) {
  return <EmbedContext value={handle}>{children}</EmbedContext>;
}

const noHandle = {
  subscribe: () => () => {},
  getState: () => null,
};

/** The bridge's state, or null where no bridge was started (tests, a bare render). */
export function useEmbedState(): BridgeState | null {
  const handle = useContext(EmbedContext) ?? noHandle;
  return useSyncExternalStore(handle.subscribe, handle.getState, handle.getState);
}

/** True when the desk runs inside another page's frame. */
export function useFramed(): boolean {
  return useEmbedState()?.frame.framed ?? false;
}
