import { defineMessages, type IntlShape } from 'react-intl';
import { isTerminalStatus } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import { secondsBetween, type DeskFormat } from '../../desk/format.ts';
import { valueMessages } from '../../lib/message-table.ts';
import { hasFailReason, type CallWords } from '../common/call-words.ts';

// Every step a call went through, oldest first, in the agent's words, and what the call
// was doing between steps (waiting, talking, on hold) so the page can draw it to scale.
// The emulator records each step in the call's `events`; a real tenant's call has no such
// key, so the same steps are then derived from its timestamps, transfers and deflections
// (holds show only as a total).

export type StepTone = 'neutral' | 'progress' | 'success' | 'warning' | 'error';
/** What the call does from a step until the next one. */
export type Phase = 'wait' | 'talk' | 'hold' | 'scheduled' | 'ended';

export interface TimelineStep {
  key: string;
  /** The kind of step (event type or derived name), for tests and styling. */
  kind: string;
  label: string;
  detail: string | null;
  at: string;
  tone: StepTone;
  /** What the call does from this step on. */
  phase: Phase;
  /** Whole seconds since the step before (undefined for the first). */
  sincePrevious: number | undefined;
  /** Whole seconds until the next step, or until now for the last step of a live call. */
  lasted: number | undefined;
}

const m = valueMessages(
  defineMessages({
    created: { id: 'timeline.created', defaultMessage: 'Created' },
    createdTo: { id: 'timeline.createdTo', defaultMessage: 'To {number}' },
    createdThrough: { id: 'timeline.createdThrough', defaultMessage: 'Through {menu}' },
    scheduled: { id: 'timeline.scheduled', defaultMessage: 'Scheduled' },
    scheduledFor: { id: 'timeline.scheduledFor', defaultMessage: 'For {when}' },
    queued: { id: 'timeline.queued', defaultMessage: 'Queued' },
    assigned: { id: 'timeline.assigned', defaultMessage: 'Assigned' },
    ring: { id: 'timeline.ring', defaultMessage: 'Ringing' },
    connected: { id: 'timeline.connected', defaultMessage: 'Connected' },
    hold: { id: 'timeline.hold', defaultMessage: 'On hold' },
    resume: { id: 'timeline.resume', defaultMessage: 'Resumed' },
    resumedAfter: { id: 'timeline.resumedAfter', defaultMessage: 'After {duration} on hold' },
    transfer: { id: 'timeline.transfer', defaultMessage: 'Transfer started' },
    transferred: { id: 'timeline.transferred', defaultMessage: 'Transferred' },
    transferFailed: { id: 'timeline.transferFailed', defaultMessage: 'Transfer failed' },
    transferFailedBecause: {
      id: 'timeline.transferFailedBecause',
      defaultMessage: 'Transfer failed: {reason}',
    },
    transferPath: { id: 'timeline.transferPath', defaultMessage: '{from} → {to}' },
    transferTo: { id: 'timeline.transferTo', defaultMessage: 'To {to}' },
    transferFrom: { id: 'timeline.transferFrom', defaultMessage: 'From {from}' },
    toMenu: { id: 'timeline.toMenu', defaultMessage: 'menu {menu}' },
    finished: { id: 'timeline.finished', defaultMessage: 'Finished' },
    failed: { id: 'timeline.failed', defaultMessage: 'Failed' },
    failedBecause: { id: 'timeline.failedBecause', defaultMessage: 'Failed: {reason}' },
    deflected: { id: 'timeline.deflected', defaultMessage: 'Deflected' },
    voicemail: { id: 'timeline.voicemail', defaultMessage: 'Leaving voicemail' },
    voicemailReceived: { id: 'timeline.voicemailReceived', defaultMessage: 'Voicemail received' },
    voicemailRead: { id: 'timeline.voicemailRead', defaultMessage: 'Voicemail read' },
    switch: { id: 'timeline.switch', defaultMessage: 'Switching provider' },
    switchDetail: { id: 'timeline.switchDetail', defaultMessage: 'Trying another voice provider' },
    recovered: { id: 'timeline.recovered', defaultMessage: 'Called back' },
    recoveredFrom: { id: 'timeline.recoveredFrom', defaultMessage: 'Call back of call {call}' },
    cancelled: { id: 'timeline.cancelled', defaultMessage: 'Cancelled' },
    cancelledDetail: {
      id: 'timeline.cancelledDetail',
      defaultMessage: 'Cancelled at the desk: the customer is not called',
    },
    flags: { id: 'timeline.flags', defaultMessage: 'Customer flags changed' },
    flagOn: { id: 'timeline.flagOn', defaultMessage: '{flag}: on' },
    flagOff: { id: 'timeline.flagOff', defaultMessage: '{flag}: off' },
    verified_customer: { id: 'flag.verified_customer', defaultMessage: 'Verified customer' },
    bad_actor: { id: 'flag.bad_actor', defaultMessage: 'Bad actor' },
    repeat_customer: { id: 'flag.repeat_customer', defaultMessage: 'Repeat customer' },
  }),
);

type RawStep = Omit<TimelineStep, 'key' | 'sincePrevious' | 'lasted'>;

interface Tools {
  intl: IntlShape;
  words: CallWords;
  format: DeskFormat;
}

function transferPath(t: Call['transfers'][number] | undefined, { intl }: Tools): string | null {
  if (!t) return null;
  const menu = (name: string | null | undefined) =>
    name ? intl.formatMessage(m.toMenu, { menu: name }) : null;
  const from = t.from_agent?.name ?? menu(t.from_menu?.name);
  const to = t.to_agent?.name ?? menu(t.to_menu?.name);
  if (from && to) return intl.formatMessage(m.transferPath, { from, to });
  if (to) return intl.formatMessage(m.transferTo, { to });
  return from ? intl.formatMessage(m.transferFrom, { from }) : null;
}

function splitReason(detail: string | null): { reason: string | null; rest: string | null } {
  if (!detail) return { reason: null, rest: null };
  const at = detail.indexOf(': ');
  return at === -1
    ? { reason: detail, rest: null }
    : { reason: detail.slice(0, at), rest: detail.slice(at + 2) };
}

/** "verified_customer on, bad_actor off" in words. */
function flagChanges(detail: string | null, { intl }: Tools): string | null {
  if (!detail) return null;
  return detail
    .split(', ')
    .map((change) => {
      const [flag, state] = change.split(' ');
      if (!flag || (state !== 'on' && state !== 'off')) return change;
      const name = Object.hasOwn(m, flag) ? intl.formatMessage(m[flag as 'bad_actor']) : flag;
      return intl.formatMessage(state === 'on' ? m.flagOn : m.flagOff, { flag: name });
    })
    .join(' · ');
}

function createdDetail(call: Call, { intl, format }: Tools): string | null {
  if (call.call_type === 'Voice Outbound (API)') {
    return call.end_user_number
      ? intl.formatMessage(m.createdTo, { number: format.phone(call.end_user_number) })
      : null;
  }
  const menu = call.menu_path?.name ?? call.selected_menu?.name;
  return menu ? intl.formatMessage(m.createdThrough, { menu }) : null;
}

/** One recorded event as a step; unknown types are shown under their own name. */
function fromEvent(
  event: Call['events'][number],
  call: Call,
  tools: Tools,
  context: { transfer: number; holdStart: string | null },
): RawStep {
  const { intl, words, format } = tools;
  const say = (d: (typeof m)[keyof typeof m], values?: Record<string, string>) =>
    intl.formatMessage(d, values);
  const base = { kind: event.type, at: event.at, detail: event.detail };
  switch (event.type) {
    case 'created':
      return {
        ...base,
        label: say(m.created),
        detail: createdDetail(call, tools),
        tone: 'neutral',
        phase: call.scheduled_at ? 'scheduled' : 'wait',
      };
    case 'scheduled':
      return {
        ...base,
        label: say(m.scheduled),
        detail: call.scheduled_at
          ? say(m.scheduledFor, { when: format.dateTime(call.scheduled_at) })
          : null,
        tone: 'neutral',
        phase: 'scheduled',
      };
    case 'queued':
      return { ...base, label: say(m.queued), tone: 'progress', phase: 'wait' };
    case 'assign':
    case 'assigned':
      return { ...base, label: say(m.assigned), tone: 'progress', phase: 'wait' };
    case 'ring':
      return { ...base, label: say(m.ring), tone: 'progress', phase: 'wait' };
    case 'connect':
      return { ...base, label: say(m.connected), tone: 'success', phase: 'talk' };
    case 'hold':
      context.holdStart = event.at;
      return { ...base, label: say(m.hold), detail: null, tone: 'warning', phase: 'hold' };
    case 'resume': {
      const held = secondsBetween(context.holdStart, event.at);
      context.holdStart = null;
      return {
        ...base,
        label: say(m.resume),
        detail:
          held !== undefined ? say(m.resumedAfter, { duration: format.duration(held) }) : null,
        tone: 'success',
        phase: 'talk',
      };
    }
    case 'transfer':
      return {
        ...base,
        label: say(m.transfer),
        detail: transferPath(call.transfers[context.transfer], tools) ?? event.detail,
        tone: 'progress',
        phase: 'talk',
      };
    case 'transfer_accept': {
      const detail = transferPath(call.transfers[context.transfer], tools) ?? event.detail;
      context.transfer++;
      return { ...base, label: say(m.transferred), detail, tone: 'success', phase: 'talk' };
    }
    case 'transfer_fail': {
      const { reason } = splitReason(event.detail);
      const detail = transferPath(call.transfers[context.transfer], tools);
      context.transfer++;
      return {
        ...base,
        label: reason
          ? say(m.transferFailedBecause, { reason: words.failReason(reason) })
          : say(m.transferFailed),
        detail,
        tone: 'error',
        phase: 'talk',
      };
    }
    case 'finish':
      return {
        ...base,
        label: say(m.finished),
        detail: words.disconnectedBy(event.detail ?? call.disconnected_by) ?? null,
        tone: 'neutral',
        phase: 'ended',
      };
    case 'fail': {
      const { reason, rest } = splitReason(event.detail ?? call.fail_reason);
      return {
        ...base,
        label: reason ? say(m.failedBecause, { reason: words.failReason(reason) }) : say(m.failed),
        detail: rest,
        tone: 'error',
        phase: 'ended',
      };
    }
    case 'deflect':
      return { ...base, label: say(m.deflected), tone: 'warning', phase: 'wait' };
    case 'voicemail':
      return { ...base, label: say(m.voicemail), tone: 'warning', phase: 'wait' };
    case 'voicemail_received':
      return { ...base, label: say(m.voicemailReceived), tone: 'warning', phase: 'ended' };
    case 'voicemail_read':
      return { ...base, label: say(m.voicemailRead), tone: 'neutral', phase: 'ended' };
    case 'switch':
      return {
        ...base,
        label: say(m.switch),
        detail: say(m.switchDetail),
        tone: 'warning',
        phase: 'wait',
      };
    case 'recover':
      return {
        ...base,
        label: say(m.recovered),
        detail:
          call.parent_id !== null ? say(m.recoveredFrom, { call: String(call.parent_id) }) : null,
        tone: 'success',
        phase: event.status && isTerminalStatus(event.status) ? 'ended' : 'wait',
      };
    case 'cancelled':
    case 'cancel':
      return {
        ...base,
        label: say(m.cancelled),
        detail: say(m.cancelledDetail),
        tone: 'neutral',
        phase: 'ended',
      };
    case 'customer_flag':
      return {
        ...base,
        label: say(m.flags),
        detail: flagChanges(event.detail, tools),
        tone: 'neutral',
        // A flag change does not change what the call is doing.
        phase: 'talk',
      };
    default:
      return { ...base, label: event.type, tone: 'neutral', phase: 'wait' };
  }
}

/** The steps a call's timestamps, transfers and deflections tell (a real tenant's call). */
function derived(call: Call, tools: Tools): RawStep[] {
  const { intl, words, format } = tools;
  const say = (d: (typeof m)[keyof typeof m], values?: Record<string, string>) =>
    intl.formatMessage(d, values);
  const steps: RawStep[] = [];
  const push = (at: string | null, step: Omit<RawStep, 'at'>) => {
    if (at) steps.push({ ...step, at });
  };
  push(call.created_at, {
    kind: 'created',
    label: say(m.created),
    detail: createdDetail(call, tools),
    tone: 'neutral',
    phase: call.scheduled_at ? 'scheduled' : 'wait',
  });
  if (call.scheduled_at) {
    push(call.created_at, {
      kind: 'scheduled',
      label: say(m.scheduled),
      detail: say(m.scheduledFor, { when: format.dateTime(call.scheduled_at) }),
      tone: 'neutral',
      phase: 'scheduled',
    });
  }
  push(call.queued_at, {
    kind: 'queued',
    label: say(m.queued),
    detail: call.menu_path?.name ?? null,
    tone: 'progress',
    phase: 'wait',
  });
  push(call.assigned_at, {
    kind: 'assigned',
    label: say(m.assigned),
    detail: call.agent_info?.name ?? null,
    tone: 'progress',
    phase: 'wait',
  });
  push(call.connected_at, {
    kind: 'connect',
    label: say(m.connected),
    detail: null,
    tone: 'success',
    phase: 'talk',
  });
  for (const d of call.deflection_details) {
    push(d.created_at, {
      kind: 'deflect',
      label: say(m.deflected),
      detail: d.deflection,
      tone: 'warning',
      phase: 'wait',
    });
  }
  for (const t of call.transfers) {
    const path = transferPath(t, tools);
    push(t.created_at, {
      kind: 'transfer',
      label: say(m.transfer),
      detail: path,
      tone: 'progress',
      phase: 'talk',
    });
    if (t.status === 'transferred') {
      push(t.ended_at, {
        kind: 'transfer_accept',
        label: say(m.transferred),
        detail: path,
        tone: 'success',
        phase: 'talk',
      });
    } else if (t.status === 'failed') {
      push(t.ended_at, {
        kind: 'transfer_fail',
        label: hasFailReason(t.fail_reason)
          ? say(m.transferFailedBecause, { reason: words.failReason(t.fail_reason) })
          : say(m.transferFailed),
        detail: path,
        tone: 'error',
        phase: 'talk',
      });
    }
  }
  const ended = call.ends_at ?? (isTerminalStatus(call.status) ? call.updated_at : null);
  if (ended && isTerminalStatus(call.status)) {
    if (call.status === 'failed') {
      push(ended, {
        kind: 'fail',
        label: hasFailReason(call.fail_reason)
          ? say(m.failedBecause, { reason: words.failReason(call.fail_reason) })
          : say(m.failed),
        detail: call.fail_details,
        tone: 'error',
        phase: 'ended',
      });
    } else if (call.status === 'finished') {
      push(ended, {
        kind: 'finish',
        label: say(m.finished),
        detail: words.disconnectedBy(call.disconnected_by) ?? null,
        tone: 'neutral',
        phase: 'ended',
      });
    } else if (call.status === 'cancelled') {
      push(ended, {
        kind: 'cancelled',
        label: say(m.cancelled),
        detail: say(m.cancelledDetail),
        tone: 'neutral',
        phase: 'ended',
      });
    } else {
      push(ended, {
        kind: call.status,
        label: words.status(call.status),
        detail: null,
        tone: 'neutral',
        phase: 'ended',
      });
    }
  }
  return steps;
}

export function buildTimeline(call: Call, tools: Tools, now: number): TimelineStep[] {
  const context = { transfer: 0, holdStart: null as string | null };
  const raw =
    call.events.length > 0
      ? call.events.map((e) => fromEvent(e, call, tools, context))
      : derived(call, tools);
  if (call.events.length > 0 && !raw.some((s) => s.kind === 'created')) {
    raw.unshift({
      kind: 'created',
      label: tools.intl.formatMessage(m.created),
      detail: null,
      at: call.created_at,
      tone: 'neutral',
      phase: 'wait',
    });
  }
  // Stable sort by time: steps recorded at the same moment keep their order.
  const ordered = raw
    .map((step, index) => ({ step, index, time: Date.parse(step.at) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((x) => x.step);
  // A flag change keeps whatever the call was doing (on hold stays on hold).
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.kind === 'customer_flag') ordered[i]!.phase = ordered[i - 1]!.phase;
  }
  const live = !isTerminalStatus(call.status);
  const nowIso = new Date(now).toISOString();
  return ordered.map((step, index) => {
    const next = ordered[index + 1];
    return {
      ...step,
      key: `${index}-${step.kind}-${step.at}`,
      sincePrevious: index === 0 ? undefined : secondsBetween(ordered[index - 1]!.at, step.at),
      lasted: next
        ? secondsBetween(step.at, next.at)
        : live && step.phase !== 'ended'
          ? secondsBetween(step.at, nowIso)
          : undefined,
    };
  });
}

/** Seconds per phase, for the bar that draws the call to scale. */
export function phaseTotals(
  steps: readonly TimelineStep[],
): Record<Exclude<Phase, 'ended'>, number> {
  const totals = { wait: 0, talk: 0, hold: 0, scheduled: 0 };
  for (const step of steps) {
    if (step.phase !== 'ended' && step.lasted !== undefined) totals[step.phase] += step.lasted;
  }
  return totals;
}
