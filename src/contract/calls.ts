import { z } from './zod.ts';
import { API_ERRORS } from './api-errors.ts';
import { lenientEnum, list, nullable } from './schema-helpers.ts';

import { CALL_STATUSES, CALL_TYPES, FAIL_REASONS, MENU_TYPES } from './call-constants.ts';

export * from './call-constants.ts';

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
