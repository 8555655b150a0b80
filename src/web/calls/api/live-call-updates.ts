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
import { callQueries, compareBy } from './call-queries.ts';
import { directoryQueries } from './directory-queries.ts';

// What the live feed's events do to the desk's data: a call sets its own page's data and
// takes its place in every list page the desk holds, flags set the call's flags, and a
// resync reads again what is on screen. No event makes the desk ask the server for
// anything it did not already show (a thousand desks would otherwise each ask the tenant);
// where a list page cannot be kept exact from the call alone (a row moved up from the next
// page), it is marked stale, and read again the next time it is shown.

type ListKey = readonly ['calls', 'list', CallListQuery, (readonly string[] | null)?];

/** A list page's filters and order, as its query key says them. */
export interface ListShape {
  query: CallListQuery;
  /** The statuses it shows (a group of them, or one); none for any status. */
  statuses?: readonly string[] | null;
}

const at = (call: Pick<Call, 'updated_at' | 'created_at'>) =>
  Date.parse(call.updated_at ?? call.created_at) || 0;

/** Whether the call passes the filters a change of a call can take it in or out of. */
function matchesChangeable({ query, statuses }: ListShape, call: Call): boolean {
  const allowed = statuses ?? (query.status ? [query.status] : null);
  if (allowed && !allowed.includes(call.status)) return false;
  if (query.call_type && call.call_type !== query.call_type) return false;
  if (
    query.agent_email &&
    (call.agent_email ?? '').toLowerCase() !== query.agent_email.toLowerCase()
  )
    return false;
  return true;
}

/** Filters on what never changes in a call (only the server says who passes them). */
function hasFixedFilters(query: CallListQuery): boolean {
  return Boolean(
    query.end_user_number ||
    query['created_at[from]'] ||
    query['created_at[to]'] ||
    query['updated_at[from]'] ||
    query['updated_at[to]'],
  );
}

export interface PageUpdate {
  page: CallPage;
  /** The page may no longer be what the server would answer (read it again when shown). */
  stale: boolean;
}

/**
 * A list page after a call changed: `known` is the call as the desk last knew it (undefined
 * when it never saw it). Null when the page is not affected. The page keeps its size; what
 * only the server could settle (a row that would come up from the next page, a call that
 * may belong to another page) marks it stale rather than guessing.
 */
export function applyCallToPage(
  page: CallPage,
  shape: ListShape,
  call: Call,
  known: Call | undefined,
): PageUpdate | null {
  const { query } = shape;
  const compare = compareBy(query);
  const per = page.perPage || query.per || page.calls.length;
  const pageNumber = query.page ?? 1;
  const matches = matchesChangeable(shape, call);
  const index = page.calls.findIndex((c) => c.id === call.id);

  if (index >= 0) {
    const rest = page.calls.filter((c) => c.id !== call.id);
    if (!matches) {
      // It left the filter: a row of the next page would take its place.
      return { page: { ...page, calls: rest, total: Math.max(0, page.total - 1) }, stale: true };
    }
    const position = rest.findIndex((c) => compare(call, c) < 0);
    const place = position < 0 ? rest.length : position;
    const calls = [...rest.slice(0, place), call, ...rest.slice(place)];
    // Its place moved to an edge of the page: it may now belong to the page before or after.
    const moved =
      place !== index &&
      ((place === 0 && pageNumber > 1) || (place === rest.length && page.total > pageNumber * per));
    return { page: { ...page, calls }, stale: moved };
  }

  if (hasFixedFilters(query)) return matches || known ? { page, stale: true } : null;
  const wasCounted = known === undefined ? undefined : matchesChangeable(shape, known);
  if (!matches) {
    // It left the filter from another page: one fewer, and this page may have shifted.
    return wasCounted
      ? { page: { ...page, total: Math.max(0, page.total - 1) }, stale: true }
      : null;
  }
  if (wasCounted) {
    // Counted already, somewhere else; a change of the column the page sorts on may bring it here.
    return query.sort_column === 'updated_at' ? { page, stale: true } : null;
  }

  // From here the call passes the filters and was not counted (it just came in), or the
  // desk never saw it (`known` undefined: a new call, or one it never had on a page).
  const filtered = Boolean(shape.statuses || query.status || query.call_type || query.agent_email);
  const position = page.calls.findIndex((c) => compare(call, c) < 0);
  const newest =
    (query.sort_column ?? 'created_at') === 'created_at' && query.sort_direction !== 'ASC';
  if (position === 0 && pageNumber > 1) {
    // It belongs on an earlier page: every row of this one moves down by one.
    return { page: { ...page, total: page.total + (known ? 1 : 0) }, stale: true };
  }
  if (position < 0 && page.calls.length >= per) {
    // After this page's rows, on a later one. One more if a filter just took it in; a call
    // never seen that sorts there on a list of every call was counted already.
    if (known) return { page: { ...page, total: page.total + 1 }, stale: false };
    return filtered ? { page, stale: true } : null;
  }
  const calls = [...page.calls];
  calls.splice(position < 0 ? calls.length : position, 0, call);
  // Sure only of a new call at the head of the newest-first list: anything else the desk
  // never saw may have been counted already.
  const sure = known !== undefined || (newest && pageNumber === 1 && position === 0);
  return {
    page: { ...page, calls: calls.slice(0, per), total: page.total + 1 },
    stale: !sure,
  };
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
      const [, , query = {}, statuses = null] = key as ListKey;
      const update = applyCallToPage(page, { query, statuses }, call, before);
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
    // Who changed them is in the desk server's own History (not the tenant's): read it again
    // where it is shown.
    void queryClient.invalidateQueries({
      queryKey: callQueries.history(client, id).queryKey,
      exact: true,
    });
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
