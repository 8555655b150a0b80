import type { ErrorField } from '../../../contract/api-errors.ts';
import type { CallType } from '../../../contract/calls.ts';
import type {
  CreateCallRequest,
  InboundCallRequest,
  OutboundCallRequest,
  ScheduledCallRequest,
} from '../../../contract/call-requests.ts';
import { readStoredJson, writeStoredJson } from '../../lib/storage.ts';

// The three forms hold what the agent types as strings named after the API's own fields,
// so a server error's field (fieldForApiError) is the form's field. The request is built
// from them, and checked with the very schemas the server checks with (call-form-checks.ts).

export const NEW_CALL_KINDS = ['outbound', 'inbound', 'scheduled'] as const;
export type NewCallKind = (typeof NEW_CALL_KINDS)[number];

export function isNewCallKind(value: unknown): value is NewCallKind {
  return typeof value === 'string' && (NEW_CALL_KINDS as readonly string[]).includes(value);
}

export const CALL_TYPE_FOR: Readonly<Record<NewCallKind, CallType>> = {
  outbound: 'Voice Outbound (API)',
  inbound: 'Voice Inbound (API)',
  scheduled: 'Voice Scheduled (API)',
};

export interface CallFormValues {
  agent_email: string;
  end_user_number: string;
  ticket_id: string;
  outbound_number: string;
  lang: string;
  menu_id: string;
  recording_permission: string;
  scheduled_at: string;
  call_id: string;
}
export type CallFormField = keyof CallFormValues;

/** The inputs each call type takes (CALL-API.md), in the order the form shows them. */
const FIELDS_FOR: Readonly<Record<NewCallKind, readonly CallFormField[]>> = {
  outbound: ['agent_email', 'end_user_number', 'ticket_id', 'outbound_number', 'lang'],
  inbound: [
    'menu_id',
    'end_user_number',
    'ticket_id',
    'lang',
    'recording_permission',
    'outbound_number',
  ],
  scheduled: [
    'menu_id',
    'call_id',
    'end_user_number',
    'scheduled_at',
    'ticket_id',
    'lang',
    'recording_permission',
    'outbound_number',
  ],
};

export function emptyCallFormValues(): CallFormValues {
  return {
    agent_email: '',
    end_user_number: '',
    ticket_id: '',
    outbound_number: '',
    lang: '',
    menu_id: '',
    recording_permission: '',
    scheduled_at: '',
    call_id: '',
  };
}

/** The form field a server error belongs to on this tab, or null (shown above the form). */
export function formFieldFor(kind: NewCallKind, field: ErrorField): CallFormField | null {
  if (field === null || field === 'call_type') return null;
  return (FIELDS_FOR[kind] as readonly string[]).includes(field) ? (field as CallFormField) : null;
}

// ---------------------------------------------------------------------------------------
// Scheduled at: the input is a local date-time ("2026-03-01T14:30", the agent's zone);
// the API takes UTC ISO 8601.
// ---------------------------------------------------------------------------------------

const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** The moment a datetime-local value means in the agent's zone; undefined when it is not one. */
export function parseLocalInput(value: string): Date | undefined {
  if (!LOCAL_INPUT.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A moment written for a datetime-local input in the agent's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`;
}

function scheduledAtForApi(value: string): string {
  const date = parseLocalInput(value.trim());
  // Anything that is not a local date-time goes as typed: the schema says what is wrong.
  return date ? date.toISOString() : value.trim();
}

// ---------------------------------------------------------------------------------------
// Values → request
// ---------------------------------------------------------------------------------------

function put<T extends object>(body: T, key: string, value: string | number | undefined) {
  if (value === undefined || value === '') return;
  (body as Record<string, unknown>)[key] = value;
}

const digitsOnly = /^\d+$/;
const asId = (value: string) =>
  digitsOnly.test(value.trim()) ? Number(value.trim()) : value.trim();

function toOutboundRequest(values: CallFormValues): OutboundCallRequest {
  const body: OutboundCallRequest = {
    call_type: 'Voice Outbound (API)',
    agent_email: values.agent_email.trim(),
  };
  put(body, 'end_user_number', values.end_user_number.trim());
  put(body, 'ticket_id', values.ticket_id.trim());
  put(body, 'outbound_number', values.outbound_number.trim());
  put(body, 'lang', values.lang.trim());
  return body;
}

function toInboundRequest(values: CallFormValues): InboundCallRequest {
  const body = { call_type: CALL_TYPE_FOR.inbound } as InboundCallRequest;
  put(body, 'menu_id', values.menu_id.trim() === '' ? undefined : asId(values.menu_id));
  put(body, 'end_user_number', values.end_user_number.trim());
  put(body, 'ticket_id', values.ticket_id.trim());
  put(body, 'lang', values.lang.trim());
  put(body, 'recording_permission', values.recording_permission);
  put(body, 'outbound_number', values.outbound_number.trim());
  return body;
}

function toScheduledRequest(values: CallFormValues): ScheduledCallRequest {
  const body = { call_type: CALL_TYPE_FOR.scheduled } as ScheduledCallRequest;
  put(body, 'menu_id', values.menu_id.trim() === '' ? undefined : asId(values.menu_id));
  put(body, 'call_id', values.call_id.trim() === '' ? undefined : asId(values.call_id));
  put(body, 'end_user_number', values.end_user_number.trim());
  put(
    body,
    'scheduled_at',
    values.scheduled_at.trim() === '' ? undefined : scheduledAtForApi(values.scheduled_at),
  );
  put(body, 'ticket_id', values.ticket_id.trim());
  put(body, 'lang', values.lang.trim());
  put(body, 'recording_permission', values.recording_permission);
  put(body, 'outbound_number', values.outbound_number.trim());
  return body;
}

export function toCreateRequest(kind: NewCallKind, values: CallFormValues): CreateCallRequest {
  if (kind === 'outbound') return toOutboundRequest(values);
  if (kind === 'inbound') return toInboundRequest(values);
  return toScheduledRequest(values);
}

// ---------------------------------------------------------------------------------------
// Drafts: what the agent typed survives a failed submit, a network error and a reload.
// Per tab (sessionStorage), per call type.
// ---------------------------------------------------------------------------------------

const draftKey = (kind: NewCallKind) => `switchboard:draft:${kind}`;

function isDraft(value: unknown): value is Partial<CallFormValues> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

export function readDraft(kind: NewCallKind): Partial<CallFormValues> {
  const draft = readStoredJson('session', draftKey(kind), isDraft) ?? {};
  const known = emptyCallFormValues();
  return Object.fromEntries(
    Object.entries(draft).filter(([key]) => key in known),
  ) as Partial<CallFormValues>;
}

export function writeDraft(kind: NewCallKind, values: Partial<CallFormValues>): void {
  const kept = Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => (FIELDS_FOR[kind] as readonly string[]).includes(key) && value,
    ),
  );
  writeStoredJson('session', draftKey(kind), Object.keys(kept).length > 0 ? kept : null);
}

export function clearDraft(kind: NewCallKind): void {
  writeStoredJson('session', draftKey(kind), null);
}

/** Values a link carries (?end_user_number=...&ticket_id=...), for the fields this tab takes. */
export function prefillFromSearch(
  kind: NewCallKind,
  search: URLSearchParams,
): Partial<CallFormValues> {
  const prefill: Partial<CallFormValues> = {};
  for (const field of FIELDS_FOR[kind]) {
    const value = search.get(field);
    if (value === null) continue;
    if (field === 'scheduled_at') {
      const date =
        parseLocalInput(value) ?? (Number.isNaN(Date.parse(value)) ? undefined : new Date(value));
      prefill.scheduled_at = date ? toLocalInput(date) : value;
    } else {
      prefill[field] = value.slice(0, 200);
    }
  }
  return prefill;
}
