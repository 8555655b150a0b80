import type { z } from 'zod';
import { API_ERRORS, apiErrorText } from '../../contract/api-errors.ts';
import type { AgentInfo, Call, MenuPath, Participant, Transfer } from '../../contract/calls.ts';
import {
  CallEventRequestSchema,
  EVENT_TYPES,
  EVENTS_ALLOWED,
  type EventType,
} from '../../contract/emulator.ts';
import {
  agentInfo,
  menuPath,
  menuSnapshot,
  newCall,
  newParticipant,
  recordEvent,
  secondsBetween,
  type CallInternal,
} from '../domain/call-object.ts';
import {
  agentDisplayName,
  type TenantAgent,
  type TenantDirectory,
  type TenantMenu,
} from '../domain/tenant.ts';

// The call lifecycle as a state machine over the statuses of CALL-API.md, driven by the
// control API's events. Pure: it takes the call, the event and the moment, and returns
// the call after it (or why the event is refused). The store persists what it returns.
//
// Checks run in this order, the first failure answers:
//   1. not an object, or `type` not an event type   → 400 Unknown event type
//   2. a parameter of the wrong shape                → 400 `<key> is not well formed`
//   3. the call's status (and hold/transfer state)   → 409 Cannot <type> a call that is <...>
//   4. a parameter naming nothing in the tenant      → 400 naming the parameter
// A malformed request is wrong whatever the call's state, so it answers before the 409;
// a reference to the tenant is only worth resolving for an event the call can take.

export interface LifecycleContext {
  /** The emulator's clock, as UTC ISO with milliseconds. */
  now: string;
  directory: TenantDirectory;
  nextParticipantId(): number;
  nextTransferId(): number;
}

export type EventOutcome =
  | {
      ok: true;
      call: Call;
      internal: CallInternal;
      /** `recover`: the child call to create; the store gives it its id. */
      child?: (id: number) => Call;
    }
  | { ok: false; status: 400 | 409; message: string };

type Refusal = Extract<EventOutcome, { ok: false }>;
type ParsedEvent = z.output<typeof CallEventRequestSchema>;
type EventOf<T extends EventType> = Extract<ParsedEvent, { type: T }>;

/** What a handler hands back: nothing (done), a refusal, or the child a recover creates. */
type HandlerResult = Refusal | { child: (id: number) => Call } | undefined;

const DEFAULT_FAIL_REASON = 'unknown';
const DEFAULT_TRANSFER_FAIL_REASON = 'transfer_expired';
const DEFAULT_DISCONNECTED_BY = 'disconnected_by_unknown';
const DEFAULT_DEFLECTION = 'voicemail';

export function applyEvent(
  call: Call,
  internal: CallInternal,
  event: unknown,
  ctx: LifecycleContext,
): EventOutcome {
  const type = eventTypeOf(event);
  if (type === undefined) return refuse(400, API_ERRORS.unknownEventType.message);

  const parsed = CallEventRequestSchema.safeParse(event);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.path[0];
    return refuse(400, apiErrorText.paramNotWellFormed(typeof key === 'string' ? key : 'event'));
  }

  const conflict = whyNot(call, internal, type);
  if (conflict !== null) return refuse(409, conflict);

  const next = structuredClone(call);
  const nextInternal = structuredClone(internal);
  const result = handle(next, nextInternal, parsed.data, ctx);
  if (result && 'ok' in result) return result;
  return result
    ? { ok: true, call: next, internal: nextInternal, child: result.child }
    : { ok: true, call: next, internal: nextInternal };
}

/**
 * The events the call would accept now: EVENTS_ALLOWED for its status, narrowed by its
 * hold and transfer state, so the Simulate panel never offers a button that answers 409.
 * Parameter checks (an unknown agent) are not anticipated; they depend on what is sent.
 */
export function allowedEvents(call: Call, internal: CallInternal): EventType[] {
  return allowedForStatus(call.status).filter((type) => whyNot(call, internal, type) === null);
}

/** Whether the call is on hold now. */
export function isOnHold(internal: CallInternal): boolean {
  return internal.hold_started_at !== null;
}

/** The transfer the call is in the middle of, if any (at most one at a time). */
export function transferInProgress(call: Call): Transfer | undefined {
  return call.transfers.find((t) => t.status === 'transferring');
}

// ---------------------------------------------------------------------------------------
// Gatekeeping
// ---------------------------------------------------------------------------------------

function eventTypeOf(event: unknown): EventType | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
  const type: unknown = (event as { type?: unknown }).type;
  return typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type)
    ? (type as EventType)
    : undefined;
}

function allowedForStatus(status: string): readonly EventType[] {
  // hasOwn: a status spelled like an Object.prototype key must not reach a function.
  return Object.hasOwn(EVENTS_ALLOWED, status) ? (EVENTS_ALLOWED[status] ?? []) : [];
}

/** Why the call cannot take `type` now (the 409 text), or null when it can. */
function whyNot(call: Call, internal: CallInternal, type: EventType): string | null {
  const cannot = apiErrorText.cannotApplyEvent;
  if (!allowedForStatus(call.status).includes(type)) return cannot(type, call.status);
  switch (type) {
    case 'hold':
      return isOnHold(internal) ? cannot(type, 'on hold') : null;
    case 'resume':
      return isOnHold(internal) ? null : cannot(type, 'not on hold');
    case 'transfer':
      return transferInProgress(call) ? cannot(type, 'being transferred') : null;
    case 'transfer_accept':
    case 'transfer_fail':
      return transferInProgress(call) ? null : cannot(type, 'not being transferred');
    case 'recover':
      return call.events.some((e) => e.type === 'recover')
        ? cannot(type, 'already recovered')
        : null;
    default:
      return null;
  }
}

function refuse(status: 400 | 409, message: string): Refusal {
  return { ok: false, status, message };
}

const invalid = (message: string): Refusal => refuse(400, message);

// ---------------------------------------------------------------------------------------
// The events. Each handler works on the clone applyEvent made, validates its references
// before it touches anything, and asks for ids only once it is sure to succeed.
// ---------------------------------------------------------------------------------------

function handle(
  call: Call,
  internal: CallInternal,
  event: ParsedEvent,
  ctx: LifecycleContext,
): HandlerResult {
  switch (event.type) {
    case 'assign':
      return assign(call, event, ctx);
    case 'ring':
      call.status = 'connecting';
      recordEvent(call, 'ring', ctx.now, call.agent_info?.name ?? null);
      return undefined;
    case 'connect':
      return connect(call, ctx);
    case 'hold':
      return hold(call, internal, ctx);
    case 'resume':
      return resume(call, internal, ctx);
    case 'transfer':
      return transfer(call, event, ctx);
    case 'transfer_accept':
      return transferAccept(call, ctx);
    case 'transfer_fail':
      return transferFail(call, event, ctx);
    case 'finish':
      return finish(call, internal, event, ctx);
    case 'fail':
      return fail(call, internal, event, ctx);
    case 'deflect':
      return deflect(call, event, ctx);
    case 'voicemail':
      call.status = 'voicemail';
      call.voicemail_reason = voicemailReason(call.deflection);
      recordEvent(call, 'voicemail', ctx.now, call.voicemail_reason);
      return undefined;
    case 'voicemail_received':
      call.status = 'voicemail_received';
      call.ends_at = ctx.now;
      endParticipants(call, ctx.now, 'finished');
      recordEvent(call, 'voicemail_received', ctx.now);
      return undefined;
    case 'voicemail_read':
      call.status = 'voicemail_read';
      recordEvent(call, 'voicemail_read', ctx.now);
      return undefined;
    case 'switch':
      call.status = 'switching';
      recordEvent(call, 'switch', ctx.now, 'trying another VoIP provider');
      return undefined;
    case 'recover':
      return recover(call, ctx);
  }
}

function assign(call: Call, event: EventOf<'assign'>, ctx: LifecycleContext): HandlerResult {
  let agent: TenantAgent | undefined;
  if (event.agent_email !== undefined) {
    agent = findAgentByEmail(ctx.directory, event.agent_email);
    if (!agent) return invalid('agent_email is not a valid agent');
  } else {
    agent = ctx.directory.agents.find((a) => a.status === 'available') ?? ctx.directory.agents[0];
    if (!agent) return invalid('agent_email is required: the tenant has no agents');
  }
  const participant = newParticipant(ctx.nextParticipantId(), call.id, 'agent', {
    userId: agent.id,
  });
  call.participants.push(participant);
  call.status = 'assigned';
  call.assigned_at = ctx.now;
  call.agent_info = agentInfo(agent);
  call.agent_email = agent.email;
  call.wait_duration = secondsBetween(call.queued_at, ctx.now);
  recordEvent(call, 'assign', ctx.now, agentDisplayName(agent));
  return undefined;
}

function connect(call: Call, ctx: LifecycleContext): HandlerResult {
  call.status = 'connected';
  // A call that switched provider was never connected; one that was keeps its first moment.
  call.connected_at ??= ctx.now;
  for (const p of call.participants) {
    if (!isActive(p)) continue;
    p.status = 'connected';
    p.connected_at ??= ctx.now;
  }
  recordEvent(call, 'connect', ctx.now, call.agent_info?.name ?? null);
  return undefined;
}

function hold(call: Call, internal: CallInternal, ctx: LifecycleContext): HandlerResult {
  internal.hold_started_at = ctx.now;
  internal.participant_holds = {};
  // The agent puts the end user on hold: the end user is the held participant.
  for (const p of call.participants) {
    if (p.type === 'end_user' && p.status === 'connected')
      internal.participant_holds[String(p.id)] = ctx.now;
  }
  recordEvent(call, 'hold', ctx.now);
  return undefined;
}

function resume(call: Call, internal: CallInternal, ctx: LifecycleContext): HandlerResult {
  const seconds = closeHold(call, internal, ctx.now);
  recordEvent(call, 'resume', ctx.now, `on hold ${seconds} s`);
  return undefined;
}

function transfer(call: Call, event: EventOf<'transfer'>, ctx: LifecycleContext): HandlerResult {
  const toAgentEmail = event.to_agent_email;
  const toMenuId = event.to_menu_id;
  if (toAgentEmail === undefined && toMenuId === undefined) {
    return invalid('to_agent_email or to_menu_id required');
  }
  if (toAgentEmail !== undefined && toMenuId !== undefined) {
    return invalid('to_agent_email and to_menu_id cannot both be given');
  }

  let toAgent: AgentInfo | null = null;
  let toMenu: MenuPath | null = null;
  let detail: string;
  if (toAgentEmail !== undefined) {
    const agent = findAgentByEmail(ctx.directory, toAgentEmail);
    if (!agent) return invalid('to_agent_email is not a valid agent');
    if (agent.id === call.agent_info?.id)
      return invalid('to_agent_email is the agent already on the call');
    toAgent = agentInfo(agent);
    detail = `to ${agentDisplayName(agent)}`;
  } else {
    const menu = ctx.directory.menus.find((m) => m.id === Number(toMenuId) && !m.deleted);
    if (!menu) return invalid(`to_menu_id ${String(toMenuId)} is not found`);
    toMenu = menuPath(menu, ctx.directory);
    detail = `to menu ${menu.name}`;
  }

  call.transfers.push({
    id: ctx.nextTransferId(),
    status: 'transferring',
    fail_reason: 'nothing',
    created_at: ctx.now,
    from_menu: call.menu_path ? structuredClone(call.menu_path) : null,
    to_menu: toMenu,
    from_agent: call.agent_info ? structuredClone(call.agent_info) : null,
    to_agent: toAgent,
    ended_at: null,
  });
  recordEvent(call, 'transfer', ctx.now, detail);
  return undefined;
}

function transferAccept(call: Call, ctx: LifecycleContext): HandlerResult {
  // whyNot guarantees a transfer in progress.
  const pending = transferInProgress(call) as Transfer;
  const leaving = currentAgentParticipant(call);
  let joining: TenantAgent | undefined;
  let detail: string;

  if (pending.to_agent) {
    const toAgentId = pending.to_agent.id;
    joining = ctx.directory.agents.find((a) => a.id === toAgentId);
    detail = pending.to_agent.name ?? `agent ${toAgentId}`;
  } else {
    const menu = menuOfPath(pending.to_menu, ctx.directory);
    if (menu) {
      call.selected_menu = menuSnapshot(menu);
      call.menu_path = menuPath(menu, ctx.directory);
    } else if (pending.to_menu) {
      call.menu_path = structuredClone(pending.to_menu);
    }
    // A transfer to a queue is accepted by one of its agents; the tenant does not say who
    // staffs which menu, so the first other agent takes it, an available one first.
    const others = ctx.directory.agents.filter((a) => a.id !== call.agent_info?.id);
    joining = others.find((a) => a.status === 'available') ?? others[0];
    const menuName = pending.to_menu?.name ?? 'menu';
    detail = joining ? `${menuName}, answered by ${agentDisplayName(joining)}` : menuName;
  }

  pending.status = 'transferred';
  pending.ended_at = ctx.now;

  if (joining) {
    if (leaving) endParticipant(leaving, ctx.now, 'finished');
    const participant = newParticipant(ctx.nextParticipantId(), call.id, 'agent', {
      userId: joining.id,
    });
    participant.status = 'connected';
    participant.connected_at = ctx.now;
    call.participants.push(participant);
    call.agent_info = agentInfo(joining);
    call.agent_email = joining.email;
  } else if (pending.to_agent) {
    // The agent left the tenant's directory since the transfer began: show who was
    // transferred to, without an email the emulator no longer knows.
    if (leaving) endParticipant(leaving, ctx.now, 'finished');
    call.agent_info = structuredClone(pending.to_agent);
    call.agent_email = null;
  }
  // A queue with nobody else to answer hands the call back to the agent who had it.

  recordEvent(call, 'transfer_accept', ctx.now, detail);
  return undefined;
}

function transferFail(
  call: Call,
  event: EventOf<'transfer_fail'>,
  ctx: LifecycleContext,
): HandlerResult {
  const reason = event.fail_reason ?? DEFAULT_TRANSFER_FAIL_REASON;
  endTransfer(call, ctx.now, reason);
  recordEvent(call, 'transfer_fail', ctx.now, reason);
  return undefined;
}

function finish(
  call: Call,
  internal: CallInternal,
  event: EventOf<'finish'>,
  ctx: LifecycleContext,
): HandlerResult {
  const disconnectedBy = event.disconnected_by ?? DEFAULT_DISCONNECTED_BY;
  closeHold(call, internal, ctx.now);
  // A transfer nobody answered before the call ended was cancelled by whoever hung up.
  endTransfer(call, ctx.now, cancelReason(disconnectedBy));
  call.status = 'finished';
  call.ends_at = ctx.now;
  call.call_duration = secondsBetween(call.connected_at, ctx.now);
  call.disconnected_by = disconnectedBy;
  if (event.recording_url !== undefined) call.recording_url = event.recording_url;
  endParticipants(call, ctx.now, 'finished');
  recordEvent(call, 'finish', ctx.now, disconnectedBy);
  return undefined;
}

function fail(
  call: Call,
  internal: CallInternal,
  event: EventOf<'fail'>,
  ctx: LifecycleContext,
): HandlerResult {
  const reason = event.fail_reason ?? DEFAULT_FAIL_REASON;
  closeHold(call, internal, ctx.now);
  endTransfer(call, ctx.now, reason);
  // A call still waiting for an agent waited until now; one that was talking talked until now.
  if (call.status === 'queued') call.wait_duration = secondsBetween(call.queued_at, ctx.now);
  if (call.connected_at !== null) call.call_duration = secondsBetween(call.connected_at, ctx.now);
  call.status = 'failed';
  call.ends_at = ctx.now;
  call.fail_reason = reason;
  call.fail_details = event.fail_details ?? null;
  endParticipants(call, ctx.now, 'failed', reason);
  recordEvent(
    call,
    'fail',
    ctx.now,
    event.fail_details ? `${reason}: ${event.fail_details}` : reason,
  );
  return undefined;
}

function deflect(call: Call, event: EventOf<'deflect'>, ctx: LifecycleContext): HandlerResult {
  const deflection = event.deflection ?? DEFAULT_DEFLECTION;
  if (deflection === 'no_deflection') return invalid('deflection cannot be no_deflection');
  call.status = 'deflected';
  call.deflection = deflection;
  call.deflection_details.push({ deflection, created_at: ctx.now });
  // Deflection ends the wait in the queue.
  call.wait_duration = secondsBetween(call.queued_at, ctx.now);
  recordEvent(call, 'deflect', ctx.now, deflection);
  return undefined;
}

function recover(parent: Call, ctx: LifecycleContext): HandlerResult {
  const now = ctx.now;
  // Ids are taken now, while the store's counters are in hand; the child is built later,
  // once the store has given it its own id.
  const agentParticipantId = parent.agent_info ? ctx.nextParticipantId() : null;
  const endUserParticipantId = ctx.nextParticipantId();
  const snapshot = structuredClone(parent);
  recordEvent(parent, 'recover', now, 'call back placed as a child call');

  const child = (id: number): Call => {
    const from = structuredClone(snapshot);
    const participants: Participant[] = [];
    if (agentParticipantId !== null && from.agent_info) {
      participants.push(
        newParticipant(agentParticipantId, id, 'agent', { userId: from.agent_info.id }),
      );
    }
    participants.push(
      newParticipant(endUserParticipantId, id, 'end_user', {
        endUserId: from.end_user?.id ?? null,
      }),
    );
    for (const p of participants) {
      p.status = 'finished';
      p.ended_at = now;
      p.call_duration = 0;
      p.hold_duration = 0;
    }
    const call: Call = {
      // newCall wants a known call type; the child keeps its parent's as it is.
      ...newCall(id, 'Voice Inbound (API)', now),
      call_type: from.call_type,
      parent_id: from.id,
      status: 'recovered',
      lang: from.lang,
      ends_at: now,
      voip_provider: from.voip_provider,
      out_ticket_id: from.out_ticket_id,
      out_ticket_url: from.out_ticket_url,
      verified: from.verified,
      recording_permission: from.recording_permission,
      support_number: from.support_number,
      selected_menu: from.selected_menu,
      menu_path: from.menu_path,
      agent_info: from.agent_info,
      end_user: from.end_user,
      participants,
      outbound_number: from.outbound_number,
      end_user_number: from.end_user_number,
      agent_email: from.agent_email,
    };
    recordEvent(call, 'recover', now, `call back of call ${from.id}`);
    return call;
  };
  return { child };
}

// ---------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------

function findAgentByEmail(directory: TenantDirectory, email: string): TenantAgent | undefined {
  const wanted = email.trim().toLowerCase();
  return directory.agents.find((a) => a.email.toLowerCase() === wanted);
}

/** The menu a transfer's path ends at (the last id of its materialized path). */
function menuOfPath(path: MenuPath | null, directory: TenantDirectory): TenantMenu | undefined {
  const lastId = path?.materialized_path?.split('/').pop();
  if (lastId === undefined || lastId === '') return undefined;
  return directory.menus.find((m) => m.id === Number(lastId));
}

function isActive(p: Participant): boolean {
  return p.status !== 'finished' && p.status !== 'failed';
}

function currentAgentParticipant(call: Call): Participant | undefined {
  const agentId = call.agent_info?.id;
  const active = call.participants.filter((p) => p.type === 'agent' && isActive(p));
  return active.findLast((p) => p.user_id === agentId) ?? active.at(-1);
}

function endParticipant(
  p: Participant,
  now: string,
  status: 'finished' | 'failed',
  failReason?: string,
): void {
  p.status = status;
  p.ended_at = now;
  p.call_duration = secondsBetween(p.connected_at, now);
  p.hold_duration ??= 0;
  if (failReason !== undefined) p.fail_reason = failReason;
}

function endParticipants(
  call: Call,
  now: string,
  status: 'finished' | 'failed',
  failReason?: string,
): void {
  for (const p of call.participants) if (isActive(p)) endParticipant(p, now, status, failReason);
}

/** Ends a hold in progress, adding its length to the call and to each held participant. */
function closeHold(call: Call, internal: CallInternal, now: string): number {
  if (internal.hold_started_at === null) return 0;
  const seconds = secondsBetween(internal.hold_started_at, now);
  call.hold_duration = (call.hold_duration ?? 0) + seconds;
  for (const [participantId, since] of Object.entries(internal.participant_holds)) {
    const p = call.participants.find((q) => String(q.id) === participantId);
    if (p) p.hold_duration = (p.hold_duration ?? 0) + secondsBetween(since, now);
  }
  internal.hold_started_at = null;
  internal.participant_holds = {};
  return seconds;
}

function endTransfer(call: Call, now: string, failReason: string): void {
  const pending = transferInProgress(call);
  if (!pending) return;
  pending.status = 'failed';
  pending.fail_reason = failReason;
  pending.ended_at = now;
}

function cancelReason(disconnectedBy: string): string {
  if (disconnectedBy === 'disconnected_by_end_user') return 'eu_canceled';
  if (disconnectedBy === 'disconnected_by_agent') return 'ag_canceled';
  return 'unknown';
}

/** Why the call went to voicemail: the capacity or hours rule that deflected it, if one did. */
function voicemailReason(deflection: string | null): string {
  return deflection === 'after_hours' || deflection === 'over_capacity' ? deflection : 'voicemail';
}
