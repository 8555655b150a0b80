import { z } from './zod.ts';
import { MENU_STATES, MENU_TYPES } from './calls.ts';
import { AGENT_STATUSES } from './directory.ts';

// The emulator's control API: how tests, demos and the desk's Simulate panel put the tenant
// into each state and move calls through their lives. Never served when fronting a real tenant.

export const EVENT_TYPES = [
  'assign',
  'ring',
  'connect',
  'hold',
  'resume',
  'transfer',
  'transfer_accept',
  'transfer_fail',
  'finish',
  'fail',
  'deflect',
  'voicemail',
  'voicemail_received',
  'voicemail_read',
  'switch',
  'recover',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const DISCONNECTED_BY = [
  'disconnected_by_unknown',
  'disconnected_by_agent',
  'disconnected_by_end_user',
  'disconnected_by_system',
] as const;

export const CallEventRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), agent_email: z.string().min(1).optional() }),
  z.object({ type: z.literal('ring') }),
  z.object({ type: z.literal('connect') }),
  z.object({ type: z.literal('hold') }),
  z.object({ type: z.literal('resume') }),
  z.object({
    type: z.literal('transfer'),
    to_agent_email: z.string().min(1).optional(),
    to_menu_id: z.union([z.int().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  }),
  z.object({ type: z.literal('transfer_accept') }),
  z.object({ type: z.literal('transfer_fail'), fail_reason: z.string().min(1).optional() }),
  z.object({
    type: z.literal('finish'),
    disconnected_by: z.enum(DISCONNECTED_BY).optional(),
    /** Where the recording of the call can be heard, as the telephony provider reports it. */
    recording_url: z.string().max(2000).optional(),
  }),
  z.object({
    type: z.literal('fail'),
    fail_reason: z.string().min(1).max(100).optional(),
    fail_details: z.string().max(1000).optional(),
  }),
  z.object({ type: z.literal('deflect'), deflection: z.string().min(1).max(100).optional() }),
  z.object({ type: z.literal('voicemail') }),
  z.object({ type: z.literal('voicemail_received') }),
  z.object({ type: z.literal('voicemail_read') }),
  z.object({ type: z.literal('switch') }),
  z.object({ type: z.literal('recover') }),
]);
export type CallEventRequest = z.input<typeof CallEventRequestSchema>;

/** The events a call in each status accepts, so the Simulate panel offers only those. */
export const EVENTS_ALLOWED: Readonly<Record<string, readonly EventType[]>> = {
  selecting: ['fail'],
  queued: ['assign', 'deflect', 'fail'],
  assigned: ['ring', 'connect', 'fail'],
  connecting: ['connect', 'switch', 'fail'],
  switching: ['connect', 'fail'],
  connected: ['hold', 'resume', 'transfer', 'transfer_accept', 'transfer_fail', 'finish', 'fail'],
  scheduled: ['fail'],
  deflected: ['voicemail', 'fail'],
  voicemail: ['voicemail_received', 'fail'],
  voicemail_received: ['voicemail_read'],
  failed: ['recover'],
  action_only: ['fail'],
};

export const AgentPatchSchema = z
  .object({
    status: z.enum(AGENT_STATUSES),
    can_make_calls: z.boolean(),
    outbound_numbers: z.array(z.string().max(40)).max(50),
    // Names and avatar come from the contact center's directory: free text and any URL,
    // which is how tests put untrusted strings into call data.
    first_name: z.string().max(200).nullable(),
    last_name: z.string().max(200).nullable(),
    avatar_url: z.string().max(2000).nullable(),
    /** Disabled in the tenant: the Call API no longer knows the agent, the desk ends its sessions. */
    disabled: z.boolean(),
  })
  .partial();
export type AgentPatch = z.input<typeof AgentPatchSchema>;

const RECORDING_OPTIONS = ['always', 'never', 'ask'] as const;

export const MenuPatchSchema = z
  .object({
    state: z.enum(MENU_STATES),
    deleted: z.boolean(),
    menu_type: z.enum(MENU_TYPES),
    recording_option: z.enum(RECORDING_OPTIONS),
  })
  .partial();
export type MenuPatch = z.input<typeof MenuPatchSchema>;

export const SettingsPatchSchema = z
  .object({
    languages: z.array(z.string().max(20)).max(200),
    outbound_numbers: z.array(z.string().max(40)).max(50),
    default_outbound_number: z.string().max(40),
  })
  .partial();
export type SettingsPatch = z.input<typeof SettingsPatchSchema>;

export const ClockRequestSchema = z.union([
  z.object({ now: z.string() }),
  z.object({
    advance_ms: z
      .int()
      .min(0)
      .max(10 * 365 * 24 * 3600 * 1000),
  }),
]);
export type ClockRequest = z.input<typeof ClockRequestSchema>;

export const ClockSchema = z.object({ now: z.string() });
