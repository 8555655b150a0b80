import { createContext, useContext, type ReactNode } from 'react';
import type { Call } from '../../contract/calls.ts';
import type { CustomerFlags } from '../../contract/customer-flags.ts';

// What happened at this desk that someone outside the page it draws may want to hear of:
// the embedding host (through the postMessage bridge) and the desk's other tabs (through
// tab sync). The desk's features emit; they never know who listens.

export type DeskEvent =
  /** The server created a call (201). */
  | { type: 'call.created'; call: Call }
  /** A create request was refused (4xx/5xx) or never reached the server. */
  | { type: 'call.create_failed'; message: string }
  /** The server accepted a change of a call (cancelled, an emulator event). */
  | { type: 'call.changed'; id: number }
  /** The server accepted a change of a call's customer flags; `flags` as it answered. */
  | { type: 'customer_flag.changed'; id: number; flags: CustomerFlags }
  /** An agent signed in at this desk (or the desk found its session on loading). */
  | { type: 'session.started'; agent_email: string; agent_name: string }
  /** The session ended: the agent signed out, or it expired (or was ended on the server). */
  | { type: 'session.ended'; reason: 'signed_out' | 'expired' };

type DeskEventListener = (event: DeskEvent) => void;

export interface DeskEvents {
  emit(event: DeskEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: DeskEventListener): () => void;
}

export function createDeskEvents(): DeskEvents {
  const listeners = new Set<DeskEventListener>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // One broken listener must not keep the others (or the desk) from going on.
          console.error('[switchboard] a desk event listener failed', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

const DeskEventsContext = createContext<DeskEvents | null>(null);

export function DeskEventsProvider({
  events,
  children,
}: {
  events: DeskEvents;
  children: ReactNode;
}) {
  return <DeskEventsContext value={events}>{children}</DeskEventsContext>;
}
const silent: Pick<DeskEvents, 'emit'> = { emit: () => {} };

/** The desk's event stream; a silent one where no provider is (a page rendered on its own). */
export function useDeskEvents(): Pick<DeskEvents, 'emit'> {
  return useContext(DeskEventsContext) ?? silent;
}

const noSubscribe: DeskEvents['subscribe'] = () => () => {};

/** Listens to the desk's events (a feature that reacts to what another did). */
export function useDeskEventSubscribe(): DeskEvents['subscribe'] {
  return useContext(DeskEventsContext)?.subscribe ?? noSubscribe;
}
