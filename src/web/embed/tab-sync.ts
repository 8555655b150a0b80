import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import type { DeskEvent, DeskEvents } from '../desk/desk-events.tsx';
import { isLiveFeedUp } from '../desk/live-status.ts';

// Several tabs (or several frames in one CRM page) of the desk stay consistent: what the
// server accepted in one tab is announced on a BroadcastChannel, and the others invalidate
// exactly the queries it makes stale, so whatever they show is read again at once instead
// of at the next poll (or, for customer flags, never). Only ids travel: each tab reads the
// data itself, through its own server session.
//
// Guarded: where BroadcastChannel is missing or refused (an old browser, an opaque origin),
// each tab simply goes on by itself. A framed desk shares the channel only with desks
// framed under the same top-level site (browsers partition it as they partition storage).

export const TAB_SYNC_CHANNEL = 'switchboard:tabs:v1';

type TabSyncMessage =
  | { kind: 'call.created'; id: number }
  | { kind: 'call.changed'; id: number }
  | { kind: 'customer_flag.changed'; id: number };

interface Envelope {
  from: string;
  message: TabSyncMessage;
}

/** The part of BroadcastChannel the sync uses. */
export interface TabChannel {
  postMessage(data: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface TabSyncOptions {
  queryClient: QueryClient;
  client: CallApiClient;
  events: Pick<DeskEvents, 'subscribe'>;
  /** The channel; a BroadcastChannel by default, null where there is none. */
  openChannel?: () => TabChannel | null;
}

function openBroadcastChannel(): TabChannel | null {
  try {
    return typeof BroadcastChannel === 'function' ? new BroadcastChannel(TAB_SYNC_CHANNEL) : null;
  } catch {
    return null;
  }
}

const KINDS: ReadonlySet<string> = new Set([
  'call.created',
  'call.changed',
  'customer_flag.changed',
]);

function isEnvelope(data: unknown): data is Envelope {
  if (typeof data !== 'object' || data === null) return false;
  const { from, message } = data as { from?: unknown; message?: unknown };
  if (typeof from !== 'string' || typeof message !== 'object' || message === null) return false;
  const { kind, id } = message as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && KINDS.has(kind) && Number.isSafeInteger(id);
}

/** What one desk event tells the other tabs; null when nothing. */
function tabMessageFor(event: DeskEvent): TabSyncMessage | null {
  switch (event.type) {
    case 'call.created':
      return { kind: 'call.created', id: event.call.id };
    case 'call.changed':
      return { kind: 'call.changed', id: event.id };
    case 'customer_flag.changed':
      return { kind: 'customer_flag.changed', id: event.id };
    default:
      return null;
  }
}

/** The queries a change in another tab makes stale. */
function staleKeysFor(
  client: CallApiClient,
  message: TabSyncMessage,
): ReadonlyArray<readonly unknown[]> {
  switch (message.kind) {
    case 'call.created':
      return [callQueries.lists()];
    case 'call.changed':
      return [callQueries.detail(client, message.id).queryKey, callQueries.lists()];
    case 'customer_flag.changed':
      // The call's `verified` mirrors verified_customer.
      return [
        callQueries.flags(client, message.id).queryKey,
        callQueries.detail(client, message.id).queryKey,
      ];
  }
}

/** Starts the sync; returns the function that stops it. */
export function startTabSync({
  queryClient,
  client,
  events,
  openChannel = openBroadcastChannel,
}: TabSyncOptions): () => void {
  const channel = openChannel();
  if (!channel) return () => {};
  const self = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

  const unsubscribe = events.subscribe((event) => {
    const message = tabMessageFor(event);
    if (!message) return;
    try {
      channel.postMessage({ from: self, message } satisfies Envelope);
    } catch {
      // A closed channel: the other tabs catch up at their next poll.
    }
  });

  channel.addEventListener('message', (event) => {
    if (!isEnvelope(event.data) || event.data.from === self) return;
    // While the live feed is up, every tab hears of the change from the server itself.
    if (isLiveFeedUp()) return;
    for (const queryKey of staleKeysFor(client, event.data.message)) {
      void queryClient.invalidateQueries({ queryKey });
    }
  });

  return () => {
    unsubscribe();
    channel.close();
  };
}
