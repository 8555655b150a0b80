import type { QueryClient } from '@tanstack/react-query';
import type { CallListQuery } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import type { CallApiClient, CallPage } from '../../../contract/client.ts';
import type { CustomerFlags } from '../../../contract/customer-flags.ts';
import type { LiveFlags } from '../../../contract/live.ts';
import type * as ResponseSchemas from '../../../contract/response-schemas.ts';
import type { DeskEvents } from '../../desk/desk-events.tsx';
import type { LiveFeed } from '../../desk/live-feed.ts';
import { onLiveFeedState } from '../../desk/live-status.ts';
import { callQueries } from './call-queries.ts';
import { directoryQueries } from './directory-queries.ts';

// What the live feed's events do to the desk's data: a call sets its own page's data and
// takes its place in every list page the desk holds, flags set the call's flags, and a
// resync reads again what is on screen. No event makes the desk ask the server for
// anything it did not already show (a thousand desks would otherwise each ask the tenant);
// where a list page cannot be kept exact from the call alone (a row moved up from the next
// page), it is marked stale, and read again the next time it is shown.

type ListKey = readonly ['calls', 'list', CallListQuery];

const at = (call: Pick<Call, 'updated_at' | 'created_at'>) =>
  Date.parse(call.updated_at ?? call.created_at) || 0;

/** Whether the call passes the filters a changed call can fall in or out of. */
function matchesStatusAndType(query: CallListQuery, call: Call): boolean {
  if (query.status && call.status !== query.status) return false;
  if (query.call_type && call.call_type !== query.call_type) return false;
  return true;
}

/** Filters on what never changes in a call: it keeps passing them once it did. */
function hasFixedFilters(query: CallListQuery): boolean {
  return Boolean(
    query.end_user_number ||
    query.agent_email ||
    query['created_at[from]'] ||
    query['created_at[to]'] ||
    query['updated_at[from]'] ||
    query['updated_at[to]'],
  );
}

/** The desk's lists sort on created_at, newest first, ties by id. */
function sortsBefore(a: Call, b: Call): boolean {
  const ta = Date.parse(a.created_at) || 0;
  const tb = Date.parse(b.created_at) || 0;
  return ta !== tb ? ta > tb : a.id > b.id;
}

export interface PageUpdate {
  page: CallPage;
  /** The page may no longer be what the server would answer (read it again when shown). */
  stale: boolean;
}

/**
 * A list page after a call changed: `known` is the call as the desk last knew it (undefined
 * when it never saw it). Null when the page is not affected.
 */
export function applyCallToPage(
  page: CallPage,
  query: CallListQuery,
  call: Call,
  known: Call | undefined,
): PageUpdate | null {
  const index = page.calls.findIndex((c) => c.id === call.id);
  const matches = matchesStatusAndType(query, call);
  if (index >= 0) {
    const calls = [...page.calls];
    if (matches) {
      calls[index] = call;
      return { page: { ...page, calls }, stale: false };
    }
    // It left the filter: a row of the next page would take its place.
    calls.splice(index, 1);
    return { page: { ...page, calls, total: Math.max(0, page.total - 1) }, stale: true };
  }
  const wasCounted = known === undefined ? undefined : matchesStatusAndType(query, known);
  if (!matches) {
    // It left the filter from another page: one fewer, and this page may have shifted.
    if (wasCounted && !hasFixedFilters(query)) {
      return { page: { ...page, total: Math.max(0, page.total - 1) }, stale: true };
    }
    return null;
  }
  if (wasCounted) return null; // it changed on another page and stays there
  // Whether it passes the fixed filters (a number, dates) only the server can say.
  if (hasFixedFilters(query)) return { page, stale: true };
  if (
    (query.sort_column ?? 'created_at') !== 'created_at' ||
    (query.sort_direction ?? 'DESC') !== 'DESC'
  ) {
    return { page, stale: true };
  }
  // New to this filter (a new call, or one whose status now passes it).
  const per = page.perPage || query.per || page.calls.length;
  const position = page.calls.findIndex((c) => sortsBefore(call, c));
  const total = page.total + 1;
  // A call never seen may have been counted already; only the server can say for sure.
  const unsure = known === undefined && Boolean(query.status || query.call_type);
  if (position === 0 && (query.page ?? 1) > 1) {
    // It belongs on an earlier page: every row of this one moves down by one.
    return { page: { ...page, total }, stale: true };
  }
  if (position < 0 && page.calls.length >= per) {
    return { page: { ...page, total }, stale: unsure }; // on a later page
  }
  const calls = [...page.calls];
  calls.splice(position < 0 ? calls.length : position, 0, call);
  return { page: { ...page, calls: calls.slice(0, per), total }, stale: unsure };
}

export interface LiveCallUpdatesOptions {
  feed: Pick<LiveFeed, 'listen'>;
  queryClient: QueryClient;
  client: CallApiClient;
  events: Pick<DeskEvents, 'emit'>;
}

let schemas: Promise<typeof ResponseSchemas> | undefined;
const loadSchemas = () =>
  (schemas ??= import('../../../contract/response-schemas.ts').catch((error: unknown) => {
    schemas = undefined;
    throw error;
  }));

/** How many calls the desk remembers the last version of (to count each once). */
const KNOWN_LIMIT = 2000;

/** Starts applying the feed's events to the desk's data; returns the function that stops. */
export function startLiveCallUpdates({
  feed,
  queryClient,
  client,
  events,
}: LiveCallUpdatesOptions): () => void {
  const known = new Map<number, Call>();
  const remember = (call: Call) => {
    known.delete(call.id);
    known.set(call.id, call);
    if (known.size > KNOWN_LIMIT) known.delete(known.keys().next().value!);
  };

  function lastKnown(id: number): Call | undefined {
    const remembered = known.get(id);
    if (remembered) return remembered;
    const detail = queryClient.getQueryData<Call>(callQueries.detail(client, id).queryKey);
    if (detail) return detail;
    for (const [, page] of queryClient.getQueriesData<CallPage>({
      queryKey: callQueries.lists(),
    })) {
      const found = page?.calls.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  function applyCall(call: Call) {
    const before = lastKnown(call.id);
    // An event older than what the desk has (it read the call meanwhile) changes nothing.
    if (before && at(before) > at(call)) return;
    remember(call);
    const detailKey = callQueries.detail(client, call.id).queryKey;
    if (queryClient.getQueryData(detailKey) !== undefined)
      queryClient.setQueryData(detailKey, call);
    for (const [key, page] of queryClient.getQueriesData<CallPage>({
      queryKey: callQueries.lists(),
    })) {
      if (!page) continue;
      const query = (key as ListKey)[2] ?? {};
      const update = applyCallToPage(page, query, call, before);
      if (!update) continue;
      queryClient.setQueryData(key, update.page);
      if (update.stale) {
        void queryClient.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' });
      }
    }
  }

  function applyFlags({ id, flags }: LiveFlags) {
    const key = callQueries.flags(client, id).queryKey;
    const query = queryClient.getQueryCache().find({ queryKey: key, exact: true });
    const previous = query?.state.data as CustomerFlags | undefined;
    if (!query || previous === undefined) return;
    const changed = (Object.keys(flags) as Array<keyof CustomerFlags>).some(
      (k) => previous[k] !== flags[k],
    );
    if (!changed) return;
    queryClient.setQueryData(key, flags);
    // The host hears of it as it hears of the desk's own change, for a call the desk shows.
    if (query.getObserversCount() > 0) events.emit({ type: 'customer_flag.changed', id, flags });
  }

  // Events are applied in the order they came, each once the schemas are there.
  let chain: Promise<unknown> = Promise.resolve();
  const inOrder = (work: () => void | Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => {
      console.error('[switchboard] a live event could not be applied', error);
    });
  };

  const resync = () => {
    known.clear();
    void queryClient.invalidateQueries({ queryKey: callQueries.all() });
    void queryClient.invalidateQueries({ queryKey: directoryQueries.all() });
  };

  const stopListening = feed.listen({
    call: (raw) =>
      inOrder(async () => {
        const { CallSchema } = await loadSchemas();
        const parsed = CallSchema.safeParse(raw);
        if (parsed.success) applyCall(parsed.data);
      }),
    flags: (flags) =>
      inOrder(async () => {
        const { CustomerFlagsSchema } = await loadSchemas();
        const parsed = CustomerFlagsSchema.safeParse(flags.flags);
        if (parsed.success && Number.isSafeInteger(flags.id))
          applyFlags({ id: flags.id, flags: parsed.data });
      }),
    directory: () =>
      inOrder(() => queryClient.invalidateQueries({ queryKey: directoryQueries.all() })),
    resync: () => inOrder(resync),
    connected: (hello, first) =>
      inOrder(() => {
        // Resumed: what changed since the desk's data (or its last event) follows. Else,
        // on the first connection, what the desk read before the stream was up may predate
        // it, so it is read once more (a later connection that did not resume is followed
        // by a resync, which reads everything again).
        if (hello.resumed || !first) return;
        const since = Date.now();
        void queryClient.invalidateQueries({
          queryKey: callQueries.all(),
          predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < since,
        });
      }),
  });

  // The polling options depend on the feed: each open query reads them again when it changes.
  const stopState = onLiveFeedState(() => {
    for (const query of queryClient.getQueryCache().findAll({ queryKey: callQueries.all() })) {
      for (const observer of query.observers) observer.setOptions(observer.options);
    }
  });

  return () => {
    stopListening();
    stopState();
  };
}
