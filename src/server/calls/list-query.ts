import { apiErrorText } from '../../contract/api-errors.ts';
import {
  CALL_STATUSES,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  SORT_COLUMNS,
  normalizeCallType,
  parseIsoDateTime,
} from '../../contract/calls.ts';
import { parsePhone } from '../../contract/phone.ts';
import { badRequest } from '../http/errors.ts';
import type { CallListFilter, CallListOrder } from '../store/call-store.ts';

// GET /calls: paging, filters and sorting shaped like the real Manager API. Each parameter is
// checked on its own; a malformed one is a 400 that names it. Unknown parameters are ignored
// (cache busters and the like).

export interface ListQuery {
  page: number;
  per: number;
  filter: CallListFilter;
  order: CallListOrder;
  /** The parameters as understood, to carry into the Link header. */
  echo: Record<string, string>;
}

const malformed = (name: string) => badRequest(apiErrorText.paramNotWellFormed(name));

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(name);
  return value;
}

function positiveInt(query: Record<string, unknown>, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw malformed(name);
  return Number(value);
}

function timestamp(query: Record<string, unknown>, name: string): string | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const date = parseIsoDateTime(value);
  if (!date) throw malformed(name);
  return date.toISOString();
}

export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const echo: Record<string, string> = {};
  const page = positiveInt(query, 'page') ?? 1;
  const perAsked = positiveInt(query, 'per');
  const per = Math.min(perAsked ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const filter: CallListFilter = {};

  const status = single(query, 'status');
  if (status !== undefined) {
    if (!(CALL_STATUSES as readonly string[]).includes(status)) throw malformed('status');
    filter.status = echo.status = status;
  }
  const callType = single(query, 'call_type');
  if (callType !== undefined) {
    const normalized = normalizeCallType(callType);
    if (!normalized) throw malformed('call_type');
    filter.callType = echo.call_type = normalized;
  }
  const agentEmail = single(query, 'agent_email');
  // Empty, like an empty end_user_number, means no filter: not "calls of no agent".
  if (agentEmail !== undefined && agentEmail.trim() !== '') {
    if (agentEmail.length > 320) throw malformed('agent_email');
    filter.agentEmail = echo.agent_email = agentEmail.trim();
  }
  const number = single(query, 'end_user_number');
  if (number !== undefined && number.trim() !== '') {
    // A whole number finds that line; a few digits find every number that contains them.
    const parsed = parsePhone(number);
    const digits = number.replace(/[\s().\-+]/g, '');
    if (parsed) filter.endUserE164 = parsed.e164;
    else if (/^\d{1,15}$/.test(digits)) filter.endUserDigits = digits;
    else throw malformed('end_user_number');
    echo.end_user_number = number;
  }
  const ranges: Array<[string, keyof CallListFilter]> = [
    ['created_at[from]', 'createdFrom'],
    ['created_at[to]', 'createdTo'],
    ['updated_at[from]', 'updatedFrom'],
    ['updated_at[to]', 'updatedTo'],
  ];
  for (const [name, key] of ranges) {
    const value = timestamp(query, name);
    if (value !== undefined) filter[key] = echo[name] = value;
  }

  const column = single(query, 'sort_column') ?? 'created_at';
  if (!(SORT_COLUMNS as readonly string[]).includes(column)) throw malformed('sort_column');
  const direction = (single(query, 'sort_direction') ?? 'DESC').toUpperCase();
  if (direction !== 'ASC' && direction !== 'DESC') throw malformed('sort_direction');
  if (query.sort_column !== undefined) echo.sort_column = column;
  if (query.sort_direction !== undefined) echo.sort_direction = direction;

  return {
    page,
    per,
    filter,
    order: { column: column as CallListOrder['column'], direction },
    echo,
  };
}

/** RFC 8288 links to the first, previous, next and last pages, keeping every filter. */
export function linkHeader(requestUrl: string, query: ListQuery, total: number): string {
  const path = requestUrl.split('?')[0]!;
  const last = Math.max(1, Math.ceil(total / query.per));
  const link = (page: number, rel: string) => {
    const params = new URLSearchParams({
      ...query.echo,
      page: String(page),
      per: String(query.per),
    });
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (query.page > 1) links.push(link(Math.min(query.page - 1, last), 'prev'));
  if (query.page < last) links.push(link(query.page + 1, 'next'));
  links.push(link(last, 'last'));
  return links.join(', ');
}
