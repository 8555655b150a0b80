import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import type { BridgeState } from './bridge-connection.ts';
import type { EmbedBridge } from './embed-bridge.ts';
import type { DeskEvents } from '../desk/desk-events.tsx';
import { readFrameContext } from './frame-context.ts';

// What the entry point starts beside the desk: the postMessage bridge when the desk is in a
// frame, and the sync between the desk's tabs. Both load on their own, after the desk has
// painted (they carry the contract's schemas); host messages that arrive meanwhile are
// kept and handed to the bridge when it is there, so a host that does not wait for `ready`
// loses nothing either.

/** The parts of a desk the embedding side drives and listens to. */
export interface EmbeddableDesk {
  controller: DeskController;
  queryClient: QueryClient;
  client: CallApiClient;
  events: DeskEvents;
}

/** The bridge as the desk's pages see it (the diagnostics page). */
export interface EmbedHandle {
  getState(): BridgeState;
  subscribe(listener: () => void): () => void;
  stop(): void;
}

export function startEmbedding(desk: EmbeddableDesk, win: Window = window): EmbedHandle {
  const frame = readFrameContext(win);
  let state: BridgeState = {
    status: frame.framed ? 'loading' : 'not-framed',
    frame,
    allowedOrigins: null,
    targetOrigin: null,
    log: [],
  };
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  let bridge: EmbedBridge | null = null;
  let stopped = false;
  const cleanups: Array<() => void> = [];

  void import('./tab-sync.ts').then(
    ({ startTabSync }) => {
      if (!stopped) cleanups.push(startTabSync(desk));
    },
    () => {}, // without it each tab goes on by itself
  );

  if (frame.framed) {
    const early: MessageEvent[] = [];
    const keep = (event: MessageEvent) => early.push(event);
    win.addEventListener('message', keep);
    cleanups.push(() => win.removeEventListener('message', keep));
    void import('./embed-bridge.ts').then(
      ({ createEmbedBridge }) => {
        if (stopped) return;
        win.removeEventListener('message', keep);
        bridge = createEmbedBridge({ ...desk, win, parent: win.parent, frame });
        cleanups.push(() => bridge?.stop());
        cleanups.push(bridge.subscribe(notify));
        for (const event of early.splice(0)) bridge.receive(event);
        notify();
      },
      (error: unknown) => {
        state = { ...state, status: 'failed' };
        console.error('[switchboard] the embedding bridge could not be loaded', error);
        notify();
      },
    );
  } else {
    // Not framed: nobody may drive this desk by message. Say so, for whoever tries.
    const warn = (event: MessageEvent) => {
      if (event.source === null || event.source === (win as MessageEventSource)) return;
      console.warn(
        `[switchboard] ignored a message from ${event.origin || 'an unknown origin'}: the desk is not in a frame: it takes messages only from the page that frames it`,
        event.data,
      );
    };
    win.addEventListener('message', warn);
    cleanups.push(() => win.removeEventListener('message', warn));
  }

  return {
    getState: () => bridge?.getState() ?? state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      stopped = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
      listeners.clear();
    },
  };
}
