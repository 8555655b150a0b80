import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent } from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router';
import type { Call } from '../../../contract/calls.ts';
import type { CallPage } from '../../../contract/client.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { attention } from '../../desk/attention.ts';
import { useDeskEventSubscribe } from '../../desk/desk-events.tsx';
import { useDeskFormat } from '../../desk/format.ts';
import { callQueries, LIST_POLL_MS } from '../api/call-queries.ts';

// A new queued call is announced: a count in the tab's title until the agent looks, and a
// desktop notification where the agent allowed them. It is read from the query data, so
// it works however that data arrives (polled here and by the list, or pushed later): any
// queued call the desk had not seen before is new, except those this desk created itself.

const QUEUED = {
  status: 'queued',
  per: 25,
  sort_column: 'created_at',
  sort_direction: 'DESC',
} as const;

function callsIn(data: unknown): Call[] {
  if (!data || typeof data !== 'object') return [];
  if (Array.isArray((data as CallPage).calls)) return (data as CallPage).calls;
  const call = data as Call;
  return typeof call.id === 'number' && typeof call.status === 'string' ? [call] : [];
}

export function useQueuedCallWatch(): void {
  const client = useCallApiClient();
  const queryClient = useQueryClient();
  const subscribe = useDeskEventSubscribe();
  const navigate = useNavigate();
  const intl = useIntl();
  const format = useDeskFormat();
  // The desk looks for queued calls wherever the agent is (the list polls its own page too).
  useQuery({ ...callQueries.list(client, QUEUED), refetchInterval: LIST_POLL_MS });

  // The words and the way to the call as they are when a call arrives.
  const notifyOf = useEffectEvent((call: Call) => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    try {
      const note = new Notification(
        intl.formatMessage(
          { id: 'alert.newCall.title', defaultMessage: 'Call {id} is waiting' },
          { id: String(call.id) },
        ),
        {
          body: call.end_user_number
            ? intl.formatMessage(
                { id: 'alert.newCall.body', defaultMessage: 'From {number}' },
                { number: format.phone(call.end_user_number) },
              )
            : '',
          tag: `switchboard-call-${call.id}`,
        },
      );
      note.onclick = () => {
        window.focus();
        void navigate(`/calls/${call.id}`);
        note.close();
      };
    } catch {
      // Some browsers only notify from a service worker: the title's count still says it.
    }
  });

  useEffect(() => {
    const seen = new Set<number>();
    let ready = false;

    const announce = (call: Call) => {
      attention.add(call.id);
      notifyOf(call);
    };

    const look = (data: unknown) => {
      for (const call of callsIn(data)) {
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        if (ready && call.status === 'queued') announce(call);
      }
    };

    // What the desk already holds is not new; from the watch's first answer on, a new one is.
    const queuedHash = hashKey(callQueries.list(client, QUEUED).queryKey);
    const cache = queryClient.getQueryCache();
    for (const query of cache.getAll()) {
      look(query.state.data);
      if (query.queryHash === queuedHash && query.state.data) ready = true;
    }
    const unsubscribeCache = cache.subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      look(event.query.state.data);
      if (event.query.queryHash === queuedHash) ready = true;
    });
    // A call placed at this desk is the agent's own: not news to them.
    const unsubscribeEvents = subscribe((event) => {
      if (event.type === 'call.created') seen.add(event.call.id);
    });
    return () => {
      unsubscribeCache();
      unsubscribeEvents();
    };
  }, [client, queryClient, subscribe]);
}
