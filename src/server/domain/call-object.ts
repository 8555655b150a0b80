import type {
  AgentInfo,
  Call,
  CallType,
  Menu,
  MenuPath,
  Participant,
} from '../../contract/calls.ts';
import {
  agentDisplayName,
  type TenantAgent,
  type TenantDirectory,
  type TenantMenu,
} from './tenant.ts';

// Builders for the pieces of a call object, so that every call the emulator writes carries
// every key of the seed's call object (null where unknown) plus the additive keys.

/** State the emulator needs to move a call on that is not part of the call object. */
export interface CallInternal {
  /** When the current hold began (a connected call on hold), else null. */
  hold_started_at: string | null;
  /** The participant ids on hold, with when their hold began. */
  participant_holds: Record<string, string>;
}

export function emptyInternal(): CallInternal {
  return { hold_started_at: null, participant_holds: {} };
}

export function newCall(id: number, callType: CallType, nowIso: string): Call {
  return {
    id,
    parent_id: null,
    lang: 'en',
    call_type: callType,
    status: 'queued',
    created_at: nowIso,
    queued_at: null,
    assigned_at: null,
    connected_at: null,
    ends_at: null,
    scheduled_at: null,
    wait_duration: 0,
    call_duration: 0,
    hold_duration: 0,
    rating: null,
    has_feedback: false,
    voip_provider: 'voip_provider_twilio',
    out_ticket_id: null,
    out_ticket_url: null,
    verified: false,
    recording_url: null,
    recording_permission: 'not_asked',
    voicemail_reason: 'not_voicemail',
    deflection: 'no_deflection',
    disconnected_by: 'disconnected_by_unknown',
    fail_details: null,
    fail_reason: 'nothing',
    support_number: null,
    selected_menu: null,
    menu_path: null,
    agent_info: null,
    end_user: null,
    photos: [],
    videos: [],
    transfers: [],
    participants: [],
    deflection_details: [],
    offer_type: null,
    offer_events: [],
    answer_type: 'manual',
    outbound_number: null,
    updated_at: nowIso,
    end_user_number: null,
    agent_email: null,
    events: [],
    allowed_events: null,
  };
}

export function agentInfo(agent: TenantAgent): AgentInfo {
  return {
    id: agent.id,
    name: agentDisplayName(agent),
    last_name: agent.last_name,
    first_name: agent.first_name,
    agent_number: agent.agent_number,
    avatar_url: agent.avatar_url,
  };
}

export function menuSnapshot(menu: TenantMenu): Menu {
  return {
    id: menu.id,
    name: menu.name,
    parent_id: menu.parent_id,
    position: menu.position,
    deleted: menu.deleted,
    hidden: menu.hidden,
    menu_type: menu.menu_type,
    output_msg: menu.output_msg,
  };
}

/** The path from the root menu to `menu`: depth, the leaf's name, and ids joined by '/'. */
export function menuPath(menu: TenantMenu, directory: TenantDirectory): MenuPath {
  const ids: number[] = [];
  const seen = new Set<number>();
  let current: TenantMenu | undefined = menu;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    ids.unshift(current.id);
    const parentId: number | null = current.parent_id;
    current = parentId === null ? undefined : directory.menus.find((m) => m.id === parentId);
  }
  return { items_count: ids.length, name: menu.name, materialized_path: ids.join('/') };
}

export function newParticipant(
  id: number,
  callId: number,
  type: 'agent' | 'end_user',
  who: { userId?: number | null; endUserId?: number | null },
): Participant {
  return {
    id,
    type,
    status: 'waiting',
    call_id: callId,
    user_id: type === 'agent' ? (who.userId ?? null) : null,
    end_user_id: type === 'end_user' ? (who.endUserId ?? null) : null,
    call_duration: null,
    hold_duration: null,
    connected_at: null,
    ended_at: null,
    fail_reason: 'nothing',
  };
}

/** Whole seconds between two ISO timestamps (never negative). */
export function secondsBetween(fromIso: string | null, toIso: string): number {
  if (!fromIso) return 0;
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
}

/** Appends a step to the call's own history (what the desk's timeline draws). */
export function recordEvent(
  call: Call,
  type: string,
  at: string,
  detail: string | null = null,
): void {
  call.events.push({ type, at, status: call.status, detail });
  call.updated_at = at;
}
