import type { Lenient } from './schema-helpers.ts';

// The call API's plain values: enumerations, times and list parameters. No zod here, so a
// page that needs a constant does not load the schemas (calls.ts re-exports all of this).

// ---------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------

export const CALL_TYPES = [
  'Voice Outbound (API)',
  'Voice Inbound (API)',
  'Voice Scheduled (API)',
] as const;
export type CallType = (typeof CALL_TYPES)[number];

/** Deprecated names the API still accepts and normalises to the canonical ones. */
export const CALL_TYPE_ALIASES: Readonly<Record<string, CallType>> = {
  OutboundCall: 'Voice Outbound (API)',
  IncomingCall: 'Voice Inbound (API)',
  ScheduledCall: 'Voice Scheduled (API)',
};

/** The canonical call type for a canonical name or a deprecated alias; undefined otherwise. */
export function normalizeCallType(value: unknown): CallType | undefined {
  if (typeof value !== 'string') return undefined;
  if ((CALL_TYPES as readonly string[]).includes(value)) return value as CallType;
  return Object.hasOwn(CALL_TYPE_ALIASES, value) ? CALL_TYPE_ALIASES[value] : undefined;
}

export const CALL_STATUSES = [
  'selecting',
  'queued',
  'assigned',
  'connecting',
  'connected',
  'finished',
  'failed',
  'switching',
  'recovered',
  'scheduled',
  'action_only',
  'action_only_finished',
  'deflected',
  'voicemail',
  'voicemail_received',
  'voicemail_read',
  'cancelled',
] as const;
export type KnownCallStatus = (typeof CALL_STATUSES)[number];
export type CallStatus = Lenient<KnownCallStatus>;

/** Statuses after which a call never changes again (polling can stop). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'finished',
  'failed',
  'recovered',
  'action_only_finished',
  'voicemail_received',
  'voicemail_read',
  'cancelled',
]);

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

export const FAIL_REASONS = [
  'nothing',
  'unknown',
  'expired',
  'transfer_expired',
  'eu_canceled',
  'eu_rejected',
  'eu_abandoned',
  'eu_in_menu_abandoned',
  'eu_busy',
  'eu_wrong_number',
  'eu_no_answer',
  'ag_canceled',
  'ag_ignored',
  'voip_conn_timeout',
  'menu_deleted',
] as const;

export const RECORDING_PERMISSIONS = [
  'recording_permission_not_asked',
  'recording_permission_granted',
  'recording_permission_denied',
] as const;
export type RecordingPermission = (typeof RECORDING_PERMISSIONS)[number];

export const MENU_TYPES = ['ivr_menu', 'mobile_menu', 'web_menu', 'chat_menu'] as const;
export const MENU_STATES = ['open', 'after_hours', 'manual_redirection'] as const;

/** Menu types each call type accepts (CALL-API.md, inbound step 6 and scheduled). */
export const MENU_TYPES_FOR: Readonly<
  Record<'Voice Inbound (API)' | 'Voice Scheduled (API)', readonly string[]>
> = {
  'Voice Inbound (API)': ['ivr_menu', 'mobile_menu'],
  'Voice Scheduled (API)': ['mobile_menu', 'web_menu'],
};

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

/**
 * ISO 8601 date and time with an explicit offset (Z or ±hh:mm): a time the caller means
 * unambiguously. Read as a Date.
 */
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseIsoDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = isoDateTime.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates that JavaScript silently rolls over (2026-02-31, 24:61).
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (probe.getUTCDate() !== Number(d)) return undefined;
  return date;
}

// ---------------------------------------------------------------------------------------
// Listing and cancelling
// ---------------------------------------------------------------------------------------

export const SORT_COLUMNS = ['id', 'created_at', 'updated_at'] as const;
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 25;

/** The query of GET /calls as the desk builds it (the server checks each parameter itself). */
export interface CallListQuery {
  page?: number;
  per?: number;
  status?: string;
  call_type?: string;
  agent_email?: string;
  end_user_number?: string;
  'created_at[from]'?: string;
  'created_at[to]'?: string;
  'updated_at[from]'?: string;
  'updated_at[to]'?: string;
  sort_column?: (typeof SORT_COLUMNS)[number];
  sort_direction?: 'ASC' | 'DESC';
}
