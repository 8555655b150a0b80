import { z } from 'zod';
import { API_ERRORS } from './api-errors.ts';
import { lenientEnum, list, nullable, type Lenient } from './schema-helpers.ts';

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
// The call object (tolerant)
// ---------------------------------------------------------------------------------------

export const MenuSchema = z.object({
  id: z.number(),
  name: nullable(z.string()),
  parent_id: nullable(z.number()),
  position: nullable(z.number()),
  deleted: nullable(z.boolean()),
  // The seed writes "hidden" as a string in one place and a boolean in another.
  hidden: nullable(z.union([z.boolean(), z.string()])),
  menu_type: nullable(lenientEnum(MENU_TYPES)),
  output_msg: nullable(z.string()),
});
export type Menu = z.output<typeof MenuSchema>;

export const MenuPathSchema = z.object({
  items_count: nullable(z.number()),
  name: nullable(z.string()),
  materialized_path: nullable(z.string()),
});
export type MenuPath = z.output<typeof MenuPathSchema>;

export const AgentInfoSchema = z.object({
  id: z.number(),
  name: nullable(z.string()),
  last_name: nullable(z.string()),
  first_name: nullable(z.string()),
  agent_number: nullable(z.string()),
  avatar_url: nullable(z.string()),
});
export type AgentInfo = z.output<typeof AgentInfoSchema>;

export const EndUserSchema = z.object({
  id: z.number(),
  identifier: nullable(z.string()),
  out_contact_id: nullable(z.string()),
});
export type EndUser = z.output<typeof EndUserSchema>;

export const PhotoSchema = z.object({
  id: z.number(),
  photo_type: nullable(z.string()),
  url: nullable(z.string()),
});

export const VideoSchema = z.object({
  id: z.number(),
  url: nullable(z.string()),
});

export const TRANSFER_STATUSES = ['transferring', 'transferred', 'failed'] as const;

export const TransferSchema = z.object({
  id: z.number(),
  status: lenientEnum(TRANSFER_STATUSES),
  fail_reason: nullable(z.string()),
  created_at: nullable(z.string()),
  from_menu: nullable(MenuPathSchema),
  to_menu: nullable(MenuPathSchema),
  from_agent: nullable(AgentInfoSchema),
  to_agent: nullable(AgentInfoSchema),
  // Not in the seed: when the transfer was accepted or failed, for the desk's timeline.
  ended_at: nullable(z.string()),
});
export type Transfer = z.output<typeof TransferSchema>;

export const PARTICIPANT_TYPES = ['end_user', 'agent'] as const;
export const PARTICIPANT_STATUSES = ['waiting', 'connected', 'finished', 'failed'] as const;

export const ParticipantSchema = z.object({
  id: z.number(),
  type: lenientEnum(PARTICIPANT_TYPES),
  status: lenientEnum(PARTICIPANT_STATUSES),
  call_id: nullable(z.number()),
  user_id: nullable(z.number()),
  end_user_id: nullable(z.number()),
  call_duration: nullable(z.number()),
  hold_duration: nullable(z.number()),
  connected_at: nullable(z.string()),
  ended_at: nullable(z.string()),
  fail_reason: nullable(z.string()),
});
export type Participant = z.output<typeof ParticipantSchema>;

export const OfferEventSchema = z.object({
  casting_time: nullable(z.string()),
  group: nullable(z.string()),
});

export const DeflectionDetailSchema = z.object({
  deflection: nullable(z.string()),
  created_at: nullable(z.string()),
});

/** One step of the call's life as the emulator recorded it (not in the seed; additive). */
export const CallEventSchema = z.object({
  type: z.string(),
  at: z.string(),
  status: nullable(z.string()),
  detail: nullable(z.string()),
});
export type CallEvent = z.output<typeof CallEventSchema>;

export const CallSchema = z.object({
  id: z.number(),
  parent_id: nullable(z.number()),
  lang: nullable(z.string()),
  call_type: lenientEnum(CALL_TYPES),
  status: lenientEnum(CALL_STATUSES),
  created_at: z.string(),
  queued_at: nullable(z.string()),
  assigned_at: nullable(z.string()),
  connected_at: nullable(z.string()),
  ends_at: nullable(z.string()),
  scheduled_at: nullable(z.string()),
  wait_duration: nullable(z.number()),
  call_duration: nullable(z.number()),
  hold_duration: nullable(z.number()),
  rating: nullable(z.number()),
  has_feedback: nullable(z.boolean()),
  voip_provider: nullable(z.string()),
  out_ticket_id: nullable(z.string()),
  out_ticket_url: nullable(z.string()),
  verified: nullable(z.boolean()),
  recording_url: nullable(z.string()),
  recording_permission: nullable(z.string()),
  voicemail_reason: nullable(z.string()),
  deflection: nullable(z.string()),
  disconnected_by: nullable(z.string()),
  fail_details: nullable(z.string()),
  fail_reason: nullable(lenientEnum(FAIL_REASONS)),
  support_number: nullable(z.string()),
  selected_menu: nullable(MenuSchema),
  menu_path: nullable(MenuPathSchema),
  agent_info: nullable(AgentInfoSchema),
  end_user: nullable(EndUserSchema),
  photos: list(PhotoSchema),
  videos: list(VideoSchema),
  transfers: list(TransferSchema),
  participants: list(ParticipantSchema),
  deflection_details: list(DeflectionDetailSchema),
  offer_type: nullable(z.string()),
  offer_events: list(OfferEventSchema),
  answer_type: nullable(z.string()),
  outbound_number: nullable(z.string()),
  updated_at: nullable(z.string()),
  // Additive keys of this emulator (clients ignore keys they do not know):
  /** The end user's number as the call was placed (E.164). */
  end_user_number: nullable(z.string()),
  /** The agent's email, so a list can be filtered by agent. */
  agent_email: nullable(z.string()),
  /** Every step of the call's life, oldest first. */
  events: list(CallEventSchema),
  /** Emulator only: the control-API events the call accepts now. */
  allowed_events: nullable(z.array(z.string())),
});
export type Call = z.output<typeof CallSchema>;

export const CallListSchema = z.array(CallSchema);

// ---------------------------------------------------------------------------------------
// 202 answers
// ---------------------------------------------------------------------------------------

export const ChooseOutboundNumberSchema = z.object({
  message: z.literal(API_ERRORS.chooseOutboundNumber.message),
  outbound_numbers: z.array(z.string()),
});
export type ChooseOutboundNumber = z.output<typeof ChooseOutboundNumberSchema>;

export const ChooseTicketNumberSchema = z.object({
  message: z.literal(API_ERRORS.chooseTicketNumber.message),
  ticket_id: z.string(),
  phone_numbers: z.array(z.string()),
});
export type ChooseTicketNumber = z.output<typeof ChooseTicketNumberSchema>;

export const AcceptedSchema = z.union([ChooseOutboundNumberSchema, ChooseTicketNumberSchema]);
export type Accepted = z.output<typeof AcceptedSchema>;

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
