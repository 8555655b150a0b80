import {
  CALL_STATUSES,
  CALL_TYPES,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  SORT_COLUMNS,
  type CallListQuery,
} from '../../../contract/call-constants.ts';
import { STATUS_GROUPS, STATUSES_OF, type StatusGroup } from '../common/call-words.ts';

// The list's state lives in the URL (?view=mine&status=group:waiting&q=3&sort=id&dir=asc...):
// a deep link or a reload shows the same page, and the back button steps through filters.

export const PER_PAGE_OPTIONS = [10, 25, 50, 100] as const;
const LIST_VIEWS = ['all', 'mine', 'active'] as const;
export type ListView = (typeof LIST_VIEWS)[number];
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface ListState {
  page: number;
  per: number;
  view: ListView;
  /** '' (any), a status, or `group:<group>`. */
  status: string;
  callType: string;
  /** What the agent searches for: a call id or (part of) a number. */
  q: string;
  sort: SortColumn;
  dir: 'asc' | 'desc';
}

function positiveInt(
  value: string | null,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === null || !/^\d{1,9}$/.test(value)) return fallback;
  const n = Number(value);
  return n >= 1 ? Math.min(n, max) : fallback;
}

function isGroupValue(value: string): value is `group:${StatusGroup}` {
  return (
    value.startsWith('group:') && (STATUS_GROUPS as readonly string[]).includes(value.slice(6))
  );
}

export function readListState(search: URLSearchParams): ListState {
  const callType = search.get('call_type') ?? '';
  const view = search.get('view') ?? '';
  const status = (search.get('status') ?? '').slice(0, 50);
  const sort = search.get('sort') ?? '';
  return {
    page: positiveInt(search.get('page'), 1),
    per: positiveInt(search.get('per'), DEFAULT_PER_PAGE, MAX_PER_PAGE),
    view: (LIST_VIEWS as readonly string[]).includes(view) ? (view as ListView) : 'all',
    status:
      isGroupValue(status) || (CALL_STATUSES as readonly string[]).includes(status) ? status : '',
    callType: (CALL_TYPES as readonly string[]).includes(callType) ? callType : '',
    // `end_user_number` is what links made before the search took call ids too.
    q: (search.get('q') ?? search.get('end_user_number') ?? '').slice(0, 40),
    sort: (SORT_COLUMNS as readonly string[]).includes(sort) ? (sort as SortColumn) : 'created_at',
    dir: search.get('dir') === 'asc' ? 'asc' : 'desc',
  };
}

export function writeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.view !== 'all') params.set('view', state.view);
  if (state.status) params.set('status', state.status);
  if (state.callType) params.set('call_type', state.callType);
  if (state.q) params.set('q', state.q);
  if (state.sort !== 'created_at') params.set('sort', state.sort);
  if (state.dir !== 'desc') params.set('dir', state.dir);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.per !== DEFAULT_PER_PAGE) params.set('per', String(state.per));
  return params;
}

const ACTIVE_VIEW = [...STATUSES_OF.active, ...STATUSES_OF.waiting];

/** The statuses the list shows; undefined for any status. */
export function statusesFor(state: ListState): readonly string[] | undefined {
  const chosen = isGroupValue(state.status)
    ? STATUSES_OF[state.status.slice(6) as StatusGroup]
    : state.status
      ? [state.status]
      : undefined;
  if (state.view !== 'active') return chosen;
  return chosen ? chosen.filter((s) => ACTIVE_VIEW.includes(s)) : ACTIVE_VIEW;
}

/** A search that is a call id as much as a number: digits only, short enough for an id. */
export function searchedCallId(q: string): number | undefined {
  const text = q.trim().replace(/^#/, '');
  return /^\d{1,12}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

export function toCallListQuery(state: ListState, agentEmail: string): CallListQuery {
  const query: CallListQuery = {
    page: state.page,
    per: state.per,
    sort_column: state.sort,
    sort_direction: state.dir === 'asc' ? 'ASC' : 'DESC',
  };
  if (state.callType) query.call_type = state.callType;
  if (state.view === 'mine' && agentEmail) query.agent_email = agentEmail;
  const q = state.q.trim().replace(/^#/, '');
  // Digits of a number (any punctuation); anything else would be refused by the API.
  if (q && /^\+?[\d\s().-]{1,40}$/.test(q) && /\d/.test(q)) query.end_user_number = q;
  return query;
}
