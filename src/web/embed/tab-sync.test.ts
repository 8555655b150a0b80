// @vitest-environment jsdom
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../../contract/calls.ts';
import type { CallApiClient } from '../../contract/client.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import { createDeskEvents, type DeskEvents } from '../desk/desk-events.tsx';
import { startTabSync, TAB_SYNC_CHANNEL, type TabChannel } from './tab-sync.ts';

// Two desks ("tabs"), each with its own QueryClient, joined by a channel: what the server
// accepted in one makes exactly the right queries of the other stale, and they are read
// again at once.

const client = {} as CallApiClient;
const flush = () => new Promise((r) => setTimeout(r, 0));

interface Tab {
  queryClient: QueryClient;
  events: DeskEvents;
  stop: () => void;
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function tab(openChannel?: () => TabChannel | null): Tab {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity } },
  });
  const events = createDeskEvents();
  const stop = startTabSync({ queryClient, client, events, ...(openChannel && { openChannel }) });
  stops.push(stop, () => queryClient.clear());
  return { queryClient, events, stop };
}

/** Watches a query the way a page does, counting how often it is fetched. */
function watch(queryClient: QueryClient, queryKey: readonly unknown[]) {
  const queryFn = vi.fn(async () => ({ fetched: queryFn.mock.calls.length }));
  const observer = new QueryObserver(queryClient, { queryKey, queryFn, staleTime: Infinity });
  stops.push(observer.subscribe(() => {}));
  return queryFn;
}

const call = (id: number) => ({ id, status: 'assigned' }) as unknown as Call;

describe('tab sync over BroadcastChannel', () => {
  it('a call created in one tab has the other re-read its call lists, and nothing else', async () => {
    const a = tab();
    const b = tab();
    const list = watch(b.queryClient, [...callQueries.lists(), { page: 1 }]);
    const detail = watch(b.queryClient, callQueries.detail(client, 4).queryKey);
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(detail).toHaveBeenCalledTimes(1));
    a.events.emit({ type: 'call.created', call: call(12) });
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    await flush();
    expect(detail).toHaveBeenCalledTimes(1);
  });

  it('flags changed in one tab are read again by the other (flags and the call)', async () => {
    const a = tab();
    const b = tab();
    const flags = watch(b.queryClient, callQueries.flags(client, 4).queryKey);
    const detail = watch(b.queryClient, callQueries.detail(client, 4).queryKey);
    const otherFlags = watch(b.queryClient, callQueries.flags(client, 5).queryKey);
    await vi.waitFor(() => expect(flags).toHaveBeenCalledTimes(1));
    a.events.emit({
      type: 'customer_flag.changed',
      id: 4,
      flags: { verified_customer: true, bad_actor: false, repeat_customer: false },
    });
    await vi.waitFor(() => expect(flags).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(detail).toHaveBeenCalledTimes(2));
    expect(otherFlags).toHaveBeenCalledTimes(1);
  });

  it('a call changed in one tab (cancelled, simulated) is read again by the other, with the lists', async () => {
    const a = tab();
    const b = tab();
    const detail = watch(b.queryClient, callQueries.detail(client, 4).queryKey);
    const list = watch(b.queryClient, [...callQueries.lists(), { page: 2 }]);
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    a.events.emit({ type: 'call.changed', id: 4 });
    await vi.waitFor(() => expect(detail).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
  });

  it('a tab does not react to its own announcements, nor to strangers on the channel', async () => {
    const a = tab();
    const own = watch(a.queryClient, [...callQueries.lists(), {}]);
    await vi.waitFor(() => expect(own).toHaveBeenCalledTimes(1));
    a.events.emit({ type: 'call.created', call: call(1) });
    const stranger = new BroadcastChannel(TAB_SYNC_CHANNEL);
    stops.push(() => stranger.close());
    stranger.postMessage({ from: 'x', message: { kind: 'call.created', id: 'abc' } });
    stranger.postMessage('hello');
    await new Promise((r) => setTimeout(r, 50));
    expect(own).toHaveBeenCalledTimes(1);
  });

  it('stops announcing and listening when stopped', async () => {
    const a = tab();
    const b = tab();
    const list = watch(b.queryClient, [...callQueries.lists(), {}]);
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    a.stop();
    a.events.emit({ type: 'call.created', call: call(1) });
    await new Promise((r) => setTimeout(r, 50));
    expect(list).toHaveBeenCalledTimes(1);
  });
});

describe('tab sync, guarded', () => {
  it('does nothing, and breaks nothing, without a channel', () => {
    const a = tab(() => null);
    expect(() => a.events.emit({ type: 'call.created', call: call(1) })).not.toThrow();
  });

  it('goes on when posting fails', () => {
    const broken: TabChannel = {
      postMessage: () => {
        throw new DOMException('closed', 'InvalidStateError');
      },
      addEventListener: () => {},
      close: () => {},
    };
    const a = tab(() => broken);
    expect(() => a.events.emit({ type: 'call.created', call: call(1) })).not.toThrow();
  });

  it('does nothing where BroadcastChannel cannot be opened', () => {
    const original = globalThis.BroadcastChannel;
    vi.stubGlobal('BroadcastChannel', function () {
      throw new DOMException('opaque origin', 'SecurityError');
    });
    try {
      const a = tab();
      expect(() => a.events.emit({ type: 'call.created', call: call(1) })).not.toThrow();
    } finally {
      vi.stubGlobal('BroadcastChannel', original);
    }
  });
});
