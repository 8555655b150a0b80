import {
  CALL_TYPES,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type CallListQuery,
} from '../../../contract/call-constants.ts';

// The list's state lives in the URL (?page=2&per=50&status=queued&call_type=...&q=...):
// a deep link or a reload shows the same page, and the back button steps through filters.

export const PER_PAGE_OPTIONS = [10, 25, 50, 100] as const;

export interface ListState {
  page: number;
  per: number;
  status: string;
  callType: string;
  number: string;
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

export function readListState(search: URLSearchParams): ListState {
  const callType = search.get('call_type') ?? '';
  return {
    page: positiveInt(search.get('page'), 1),
    per: positiveInt(search.get('per'), DEFAULT_PER_PAGE, MAX_PER_PAGE),
    status: (search.get('status') ?? '').slice(0, 50),
    callType: (CALL_TYPES as readonly string[]).includes(callType) ? callType : '',
    number: (search.get('end_user_number') ?? '').slice(0, 40),
  };
}

export function writeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.per !== DEFAULT_PER_PAGE) params.set('per', String(state.per));
  if (state.status) params.set('status', state.status);
  if (state.callType) params.set('call_type', state.callType);
  if (state.number) params.set('end_user_number', state.number);
  return params;
}

export function toCallListQuery(state: ListState): CallListQuery {
  const query: CallListQuery = {
    page: state.page,
    per: state.per,
    sort_column: 'created_at',
    sort_direction: 'DESC',
  };
  if (state.status) query.status = state.status;
  if (state.callType) query.call_type = state.callType;
  const number = state.number.trim();
  if (number) query.end_user_number = number;
  return query;
}
