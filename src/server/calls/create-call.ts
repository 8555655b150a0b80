import { API_ERRORS, apiErrorText } from '../../contract/api-errors.ts';
import {
  MENU_TYPES_FOR,
  RECORDING_PERMISSIONS,
  normalizeCallType,
  parseIsoDateTime,
  type Call,
  type CallType,
} from '../../contract/calls.ts';
import { IdFieldSchema, TicketIdFieldSchema } from '../../contract/call-requests.ts';
import { isIso6391 } from '../../contract/languages.ts';
import { parsePhone, type ParsedPhone } from '../../contract/phone.ts';
import {
  agentInfo,
  emptyInternal,
  menuPath,
  menuSnapshot,
  newCall,
  newParticipant,
  recordEvent,
  type CallInternal,
} from '../domain/call-object.ts';
import type {
  TenantAgent,
  TenantContact,
  TenantDirectory,
  TenantMenu,
  TenantTicket,
} from '../domain/tenant.ts';

// POST /calls: the checks of CALL-API.md, in its order, top to bottom. The first failure
// answers. Nothing here writes: a passing request yields a plan that the route commits.

export interface CreateCallDeps {
  directory: TenantDirectory;
  /** The emulator's clock. */
  now: Date;
  /** An earlier call of this tenant (scheduled calls' call_id). */
  findCall(id: number): Call | undefined;
}

export type CreateCallOutcome =
  | { kind: 'error'; message: string }
  | { kind: 'accepted'; body: Record<string, unknown> }
  | { kind: 'create'; plan: CallPlan };

/** What the route needs to create the call once the checks have passed. */
interface CallPlan {
  /** Resolved at commit time, inside the transaction (may create a contact). */
  endUser: TenantContact | { byPhone: string } | null;
  build(ids: { callId: number; nextParticipantId(): number; endUser: TenantContact | null }): {
    call: Call;
    internal: CallInternal;
  };
}

type Body = Record<string, unknown>;

const fail = (message: string): CreateCallOutcome => ({ kind: 'error', message });

/** Present means sent and not null: the API treats `null` like a missing key. */
const present = (body: Body, key: string) => body[key] !== undefined && body[key] !== null;
const blank = (body: Body, key: string) =>
  !present(body, key) || (typeof body[key] === 'string' && (body[key] as string).trim() === '');

export function createCall(body: Body, deps: CreateCallDeps): CreateCallOutcome {
  const callType = normalizeCallType(body.call_type);
  if (!callType) return fail(API_ERRORS.invalidCallType.message);
  switch (callType) {
    case 'Voice Outbound (API)':
      return outbound(body, deps);
    case 'Voice Inbound (API)':
      return inboundOrScheduled(body, deps, callType);
    case 'Voice Scheduled (API)':
      return inboundOrScheduled(body, deps, callType);
  }
}

// --- shared checks ----------------------------------------------------------------------

/** Step "lang": default en; not ISO 639-1 → not found; not enabled → not available. */
function checkLang(body: Body, directory: TenantDirectory): { lang: string } | { error: string } {
  if (!present(body, 'lang')) return { lang: 'en' };
  const lang = body.lang;
  if (typeof lang !== 'string') return { error: API_ERRORS.langNotWellFormed.message };
  if (!isIso6391(lang)) return { error: apiErrorText.languageNotFound(lang) };
  if (!directory.settings.languages.includes(lang)) {
    return { error: apiErrorText.languageNotAvailable(lang) };
  }
  return { lang };
}

function ticketIdOf(body: Body): { ticketId: string | null } | { error: string } {
  if (blank(body, 'ticket_id')) return { ticketId: null };
  const parsed = TicketIdFieldSchema.safeParse(body.ticket_id);
  return parsed.success
    ? { ticketId: parsed.data }
    : { error: API_ERRORS.ticketIdNotWellFormed.message };
}

function findTicket(directory: TenantDirectory, ticketId: string): TenantTicket | undefined {
  return directory.tickets.find((t) => t.ticket_id === ticketId);
}

/**
 * The tenant's own numbers by E.164, as the directory writes them, and by the text they are
 * written in. An update replaces the directory (never changes it in place), so they are
 * parsed once per version of it, not on every request that names an outbound number.
 */
interface OwnNumbers {
  byE164: Map<string, string>;
  /** A number sent as the directory writes it needs no parse (libphonenumber, ~8 µs). */
  byText: Map<string, string>;
}

const ownNumbers = new WeakMap<TenantDirectory, OwnNumbers>();

function ownNumbersOf(directory: TenantDirectory): OwnNumbers {
  let own = ownNumbers.get(directory);
  if (!own) {
    own = { byE164: new Map(), byText: new Map() };
    const parsed: Array<[string, string]> = [];
    for (const number of directory.settings.outbound_numbers) {
      const e164 = parsePhone(number)?.e164;
      if (!e164) continue;
      if (!own.byE164.has(e164)) own.byE164.set(e164, number);
      parsed.push([number.trim(), e164]);
    }
    for (const [text, e164] of parsed) own.byText.set(text, own.byE164.get(e164)!);
    ownNumbers.set(directory, own);
  }
  return own;
}

function tenantNumber(directory: TenantDirectory, phone: ParsedPhone): string | undefined {
  return ownNumbersOf(directory).byE164.get(phone.e164);
}

/**
 * The outbound number a request names: the tenant's number it is (found by its text when it
 * is written as the directory writes it, else parsed), undefined for one of someone else's,
 * or 'ill-formed'. The same answer as parsing it every time: a text the directory holds
 * parses to that entry's E.164.
 */
function requestedOwnNumber(
  directory: TenantDirectory,
  value: unknown,
): string | undefined | 'ill-formed' {
  if (typeof value === 'string') {
    const known = ownNumbersOf(directory).byText.get(value.trim());
    if (known !== undefined) return known;
  }
  const parsed = parsePhone(value);
  if (!parsed) return 'ill-formed';
  return tenantNumber(directory, parsed);
}

/** A ticket's well-formed numbers, parsed once per version of the directory (as above). */
const parsedTicketNumbers = new WeakMap<TenantTicket, ParsedPhone[]>();

function ticketNumbers(ticket: TenantTicket): ParsedPhone[] {
  let numbers = parsedTicketNumbers.get(ticket);
  if (!numbers) {
    numbers = ticket.phone_numbers.map(parsePhone).filter((p) => p !== undefined);
    parsedTicketNumbers.set(ticket, numbers);
  }
  return numbers;
}

function endUserParticipant(call: Call, id: number, endUser: TenantContact | null) {
  return newParticipant(id, call.id, 'end_user', { endUserId: endUser?.id ?? null });
}

// --- outbound ---------------------------------------------------------------------------

function outbound(body: Body, deps: CreateCallDeps): CreateCallOutcome {
  const { directory } = deps;

  // 1. agent_email present
  if (blank(body, 'agent_email')) return fail(API_ERRORS.agentEmailRequired.message);
  // 2. a ticket or a number to dial
  if (blank(body, 'ticket_id') && blank(body, 'end_user_number')) {
    return fail(API_ERRORS.ticketOrNumberRequired.message);
  }
  // 3. an agent of the tenant
  const email = body.agent_email;
  const agent =
    typeof email === 'string'
      ? directory.agents.find(
          (a) => a.disabled !== true && a.email.toLowerCase() === email.trim().toLowerCase(),
        )
      : undefined;
  if (!agent) return fail(API_ERRORS.notValidAgentEmail.message);
  // 4. allowed to call out, 5. available
  if (!agent.can_make_calls) return fail(API_ERRORS.agentCannotMakeCalls.message);
  if (agent.status !== 'available') return fail(API_ERRORS.agentNotAvailable.message);

  // 6. a ticket takes precedence over end_user_number
  const ticketCheck = ticketIdOf(body);
  if ('error' in ticketCheck) return fail(ticketCheck.error);
  const { ticketId } = ticketCheck;
  let ticket: TenantTicket | undefined;
  let dialled: ParsedPhone | undefined;
  if (ticketId !== null) {
    ticket = findTicket(directory, ticketId);
    const numbers = ticket ? ticketNumbers(ticket) : [];
    if (!ticket || numbers.length === 0) return fail(API_ERRORS.contactNotFound.message);
    if (numbers.length === 1) dialled = numbers[0];
    else {
      const wanted = parsePhone(body.end_user_number);
      dialled = numbers.find((n) => n.e164 === wanted?.e164);
    }
  } else {
    // 7. the number to dial
    dialled = parsePhone(body.end_user_number);
    if (!dialled) return fail(API_ERRORS.outboundEndUserNumberNotWellFormed.message);
  }

  // 8. language
  const langCheck = checkLang(body, directory);
  if ('error' in langCheck) return fail(langCheck.error);

  // 9. outbound number, when given
  let outboundNumber: string | undefined;
  if (!blank(body, 'outbound_number')) {
    const requested = requestedOwnNumber(directory, body.outbound_number);
    if (requested === 'ill-formed') return fail(API_ERRORS.outboundNumberNotWellFormed.message);
    if (!requested) return fail(API_ERRORS.outboundNumberNotAvailable.message);
    outboundNumber = requested;
  }

  // 10. several numbers of the agent's to choose from
  if (!outboundNumber && agent.outbound_numbers.length > 1) {
    return {
      kind: 'accepted',
      body: {
        message: API_ERRORS.chooseOutboundNumber.message,
        outbound_numbers: [...agent.outbound_numbers],
      },
    };
  }
  // 11. several numbers on the ticket, none of them chosen
  if (ticket && !dialled) {
    return {
      kind: 'accepted',
      body: {
        message: API_ERRORS.chooseTicketNumber.message,
        ticket_id: ticket.ticket_id,
        phone_numbers: [...ticket.phone_numbers],
      },
    };
  }

  // 12. the call
  const chosenOutbound =
    outboundNumber ??
    (agent.outbound_numbers.length === 1
      ? agent.outbound_numbers[0]!
      : directory.settings.default_outbound_number);
  const dialledNumber = dialled!;
  const lang = langCheck.lang;
  return {
    kind: 'create',
    plan: {
      endUser: ticket ? ticket.end_user : null,
      build: ({ callId, nextParticipantId, endUser }) => {
        const at = deps.now.toISOString();
        const call = newCall(callId, 'Voice Outbound (API)', at);
        call.lang = lang;
        call.status = 'assigned';
        call.assigned_at = at;
        call.agent_info = agentInfo(agent);
        call.agent_email = agent.email;
        call.out_ticket_id = ticket ? ticket.ticket_id : null;
        call.end_user = endUser ? { ...endUser } : null;
        call.end_user_number = dialledNumber.e164;
        call.outbound_number = chosenOutbound;
        call.answer_type = 'manual';
        call.participants = [
          newParticipant(nextParticipantId(), callId, 'agent', { userId: agent.id }),
          endUserParticipant(call, nextParticipantId(), endUser),
        ];
        recordEvent(call, 'created', at, `Outbound to ${dialledNumber.international}`);
        recordEvent(call, 'assigned', at, agentLabel(agent));
        return { call, internal: emptyInternal() };
      },
    },
  };
}

function agentLabel(agent: TenantAgent): string {
  return [agent.first_name, agent.last_name].filter(Boolean).join(' ') || agent.email;
}

// --- inbound and scheduled --------------------------------------------------------------

function inboundOrScheduled(
  body: Body,
  deps: CreateCallDeps,
  callType: Extract<CallType, 'Voice Inbound (API)' | 'Voice Scheduled (API)'>,
): CreateCallOutcome {
  const { directory } = deps;
  const scheduled = callType === 'Voice Scheduled (API)';

  // 1. menu_id (a scheduled call may name an earlier call instead)
  let menuId: number | undefined;
  let menuIdAsSent = '';
  let parentId: number | null = null;
  if (present(body, 'menu_id')) {
    const parsed = IdFieldSchema.safeParse(body.menu_id);
    if (!parsed.success) return fail(API_ERRORS.menuIdNotWellFormed.message);
    menuId = parsed.data;
    menuIdAsSent = String(body.menu_id);
  }
  if (scheduled && present(body, 'call_id')) {
    const parsed = IdFieldSchema.safeParse(body.call_id);
    if (!parsed.success) return fail(API_ERRORS.callIdNotWellFormed.message);
    const parent = deps.findCall(parsed.data);
    if (!parent) return fail(apiErrorText.callNotFound(String(body.call_id)));
    parentId = parent.id;
    if (menuId === undefined && parent.selected_menu) {
      menuId = parent.selected_menu.id;
      menuIdAsSent = String(menuId);
    }
  }
  if (menuId === undefined) return fail(API_ERRORS.menuIdRequired.message);

  // 2. end_user_number
  if (blank(body, 'end_user_number')) return fail(API_ERRORS.endUserNumberRequired.message);
  const number = parsePhone(body.end_user_number);
  if (!number) return fail(API_ERRORS.endUserNumberNotWellFormed.message);

  // 2b. scheduled_at (after end_user_number)
  let scheduledAt: Date | undefined;
  if (scheduled) {
    if (blank(body, 'scheduled_at')) return fail(API_ERRORS.scheduledAtRequired.message);
    scheduledAt = parseIsoDateTime(body.scheduled_at);
    if (!scheduledAt) return fail(API_ERRORS.scheduledAtNotWellFormed.message);
    if (scheduledAt.getTime() <= deps.now.getTime()) {
      return fail(API_ERRORS.scheduledAtNotInFuture.message);
    }
  }

  // 3. language
  const langCheck = checkLang(body, directory);
  if ('error' in langCheck) return fail(langCheck.error);

  // 4. recording permission
  let permission: (typeof RECORDING_PERMISSIONS)[number] = 'recording_permission_not_asked';
  if (present(body, 'recording_permission')) {
    const value = body.recording_permission;
    if (
      typeof value !== 'string' ||
      !(RECORDING_PERMISSIONS as readonly string[]).includes(value)
    ) {
      return fail(API_ERRORS.recordingPermissionNotValid.message);
    }
    permission = value as typeof permission;
  }

  // 5. the menu exists, 6. its type takes this call type, 7. it is open
  const menu = directory.menus.find((m) => m.id === menuId && !m.deleted);
  if (!menu) return fail(apiErrorText.menuNotFound(menuIdAsSent));
  if (!MENU_TYPES_FOR[callType].includes(menu.menu_type)) {
    return fail(
      scheduled
        ? API_ERRORS.onlyMobileAndWebMenus.message
        : API_ERRORS.onlyIvrAndMobileMenus.message,
    );
  }
  if (menu.state === 'manual_redirection') return fail(API_ERRORS.menuManualRedirection.message);
  if (menu.state === 'after_hours') return fail(API_ERRORS.menuAfterHours.message);

  // 8. a resolving ticket gives the end user; else the contact with this number (or a new one)
  const ticketCheck = ticketIdOf(body);
  if ('error' in ticketCheck) return fail(ticketCheck.error);
  const ticketId = ticketCheck.ticketId;
  const ticket = ticketId === null ? undefined : findTicket(directory, ticketId);
  const ticketNumber = ticket ? ticketNumbers(ticket)[0] : undefined;

  // 9. an outbound number that is not the tenant's falls back to the default
  const requested = requestedOwnNumber(directory, body.outbound_number);
  const outboundNumber =
    (requested === 'ill-formed' ? undefined : requested) ??
    directory.settings.default_outbound_number;

  const lang = langCheck.lang;
  const recording = recordingPermissionOnCall(menu, permission);
  const e164 = (ticketNumber ?? number).e164;
  return {
    kind: 'create',
    plan: {
      endUser: ticket ? ticket.end_user : { byPhone: number.e164 },
      build: ({ callId, nextParticipantId, endUser }) => {
        const at = deps.now.toISOString();
        const call = newCall(callId, callType, at);
        call.lang = lang;
        call.parent_id = parentId;
        call.selected_menu = menuSnapshot(menu);
        call.menu_path = menuPath(menu, directory);
        call.out_ticket_id = ticketId;
        call.end_user = endUser ? { ...endUser } : null;
        call.end_user_number = e164;
        call.outbound_number = outboundNumber;
        call.recording_permission = recording;
        call.participants = [endUserParticipant(call, nextParticipantId(), endUser)];
        recordEvent(call, 'created', at, `${scheduled ? 'Scheduled' : 'Inbound'} via ${menu.name}`);
        if (scheduledAt) {
          call.status = 'scheduled';
          call.scheduled_at = scheduledAt.toISOString();
          recordEvent(call, 'scheduled', at, `For ${call.scheduled_at}`);
        } else {
          call.status = 'queued';
          call.queued_at = at;
          call.offer_type = 'cascade';
          call.offer_events = [{ casting_time: at, group: 'Group 1' }];
          recordEvent(call, 'queued', at, menu.name);
        }
        return { call, internal: emptyInternal() };
      },
    },
  };
}

/** The caller's answer counts only where the menu asks for it. */
function recordingPermissionOnCall(
  menu: TenantMenu,
  permission: (typeof RECORDING_PERMISSIONS)[number],
): string {
  if (menu.recording_option !== 'ask') return 'not_asked';
  if (permission === 'recording_permission_granted') return 'granted';
  if (permission === 'recording_permission_denied') return 'denied';
  return 'not_asked';
}
