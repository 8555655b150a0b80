import type { QueryCacheNotifyEvent, QueryClient } from '@tanstack/react-query';
import type { Call } from '../../contract/calls.ts';
import { EMBED_PROTOCOL, type DeskMessage } from '../../contract/embed.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import type { DeskEvent, DeskEvents } from '../desk/desk-events.tsx';

// The desk's events, told to the host: what the desk's features emit (a call created, a
// flag changed) and the status of the call the desk shows, whichever way its data arrived.

export interface DeskReportsOptions {
  events: Pick<DeskEvents, 'subscribe'>;
  queryClient: QueryClient;
  post: (message: DeskMessage) => void;
  /** A create the desk was asked for failed (the connection answers the host if it asked). */
  onCreateFailed?: (message: string) => void;
  onCreated?: () => void;
}

function isDetailKey(key: readonly unknown[]): key is readonly [string, string, number] {
  const [all, details] = callQueries.details();
  return key.length === 3 && key[0] === all && key[1] === details && typeof key[2] === 'number';
}

/** Starts reporting; returns the function that stops it. */
export function startDeskReports(options: DeskReportsOptions): () => void {
  const { events, queryClient, post, onCreateFailed, onCreated } = options;

  function onDeskEvent(event: DeskEvent) {
    switch (event.type) {
      case 'call.created': {
        onCreated?.();
        const { call } = event;
        post({
          protocol: EMBED_PROTOCOL,
          type: 'call.created',
          payload: {
            id: call.id,
            call_type: call.call_type,
            status: call.status,
            end_user_number: call.end_user_number ?? null,
          },
        });
        return;
      }
      case 'call.create_failed':
        onCreateFailed?.(event.message);
        return;
      case 'customer_flag.changed':
        post({
          protocol: EMBED_PROTOCOL,
          type: 'customer_flag.changed',
          payload: {
            id: event.id,
            verified_customer: event.flags.verified_customer,
            bad_actor: event.flags.bad_actor,
            repeat_customer: event.flags.repeat_customer,
          },
        });
        return;
      case 'call.changed':
        return; // its status, if it changed, arrives through the open call's data
      case 'session.started':
        post({
          protocol: EMBED_PROTOCOL,
          type: 'session.started',
          payload: { agent_email: event.agent_email, agent_name: event.agent_name },
        });
        return;
      case 'session.ended':
        post({
          protocol: EMBED_PROTOCOL,
          type: 'session.ended',
          payload: { reason: event.reason },
        });
        return;
    }
  }

  /** The last status the host heard of, per call. */
  const statuses = new Map<number, string>();
  function onQueryCache(event: QueryCacheNotifyEvent) {
    const { query } = event;
    if (!isDetailKey(query.queryKey)) return;
    // Only a call that is open (its page shows it) is followed.
    if (query.getObserversCount() === 0) return;
    const call = query.state.data as Call | undefined;
    if (!call || typeof call.status !== 'string') return;
    const previous = statuses.get(call.id) ?? null;
    if (previous === call.status) return;
    statuses.set(call.id, call.status);
    post({
      protocol: EMBED_PROTOCOL,
      type: 'call.status',
      payload: { id: call.id, status: call.status, previous_status: previous },
    });
  }

  const unsubscribeEvents = events.subscribe(onDeskEvent);
  const unsubscribeCache = queryClient.getQueryCache().subscribe(onQueryCache);
  return () => {
    unsubscribeEvents();
    unsubscribeCache();
  };
}
