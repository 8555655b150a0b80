import { isTerminalStatus } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import { secondsBetween } from '../../lib/format.ts';
import {
  disconnectedByLabel,
  failReasonLabel,
  hasFailReason,
  statusLabel,
} from '../common/call-labels.ts';

// Every step a call went through, oldest first. The emulator records each step in the
// call's `events`; a real tenant's call has no such key, so the same steps are then
// derived from its timestamps, transfers and deflections (holds show only as a total).

export type StepTone = 'neutral' | 'progress' | 'success' | 'warning' | 'error';

export interface TimelineStep {
  key: string;
  /** The kind of step (event type or derived name), for tests and styling. */
  kind: string;
  label: string;
  detail: string | null;
  at: string;
  tone: StepTone;
  /** Whole seconds since the step before (undefined for the first). */
  sincePrevious: number | undefined;
  /** Whole seconds since the call was created. */
  sinceStart: number | undefined;
}

type RawStep = Omit<TimelineStep, 'key' | 'sincePrevious' | 'sinceStart'>;

function transferTarget(t: Call['transfers'][number]): string {
  const from = t.from_agent?.name ?? t.from_menu?.name ?? null;
  const to = t.to_agent?.name ?? t.to_menu?.name ?? null;
  if (from && to) return `${from} → ${to}`;
  return to ? `to ${to}` : from ? `from ${from}` : '';
}

function splitReason(detail: string | null): { reason: string | null; rest: string | null } {
  if (!detail) return { reason: null, rest: null };
  const at = detail.indexOf(': ');
  return at === -1
    ? { reason: detail, rest: null }
    : { reason: detail.slice(0, at), rest: detail.slice(at + 2) };
}

/** One recorded event as a step; unknown types are shown under their own name. */
function fromEvent(event: Call['events'][number], call: Call): RawStep {
  const base = { kind: event.type, at: event.at, detail: event.detail };
  switch (event.type) {
    case 'created':
      return { ...base, label: 'Created', tone: 'neutral' };
    case 'scheduled':
      return { ...base, label: 'Scheduled', tone: 'neutral' };
    case 'queued':
      return { ...base, label: 'Queued', tone: 'progress' };
    case 'assign':
    case 'assigned':
      return { ...base, label: 'Assigned', tone: 'progress' };
    case 'ring':
      return { ...base, label: 'Connecting', tone: 'progress' };
    case 'connect':
      return { ...base, label: 'Connected', tone: 'success' };
    case 'hold':
      return { ...base, label: 'On hold', tone: 'warning' };
    case 'resume':
      return { ...base, label: 'Resumed', tone: 'success' };
    case 'transfer':
      return { ...base, label: 'Transfer started', tone: 'progress' };
    case 'transfer_accept':
      return { ...base, label: 'Transferred', tone: 'success' };
    case 'transfer_fail': {
      const { reason, rest } = splitReason(event.detail);
      return {
        ...base,
        label: reason ? `Transfer failed: ${failReasonLabel(reason)}` : 'Transfer failed',
        detail: rest,
        tone: 'error',
      };
    }
    case 'finish':
      return {
        ...base,
        label: 'Finished',
        detail: event.detail
          ? `Disconnected by ${disconnectedByLabel(event.detail).toLowerCase()}`
          : null,
        tone: 'neutral',
      };
    case 'fail': {
      const { reason, rest } = splitReason(event.detail ?? call.fail_reason);
      return {
        ...base,
        label: reason ? `Failed: ${failReasonLabel(reason)}` : 'Failed',
        detail: rest,
        tone: 'error',
      };
    }
    case 'deflect':
      return { ...base, label: 'Deflected', tone: 'warning' };
    case 'voicemail':
      return { ...base, label: 'Leaving voicemail', tone: 'warning' };
    case 'voicemail_received':
      return { ...base, label: 'Voicemail received', tone: 'warning' };
    case 'voicemail_read':
      return { ...base, label: 'Voicemail read', tone: 'neutral' };
    case 'switch':
      return { ...base, label: 'Switching provider', tone: 'warning' };
    case 'recover':
      return { ...base, label: 'Recovered', tone: 'success' };
    case 'cancelled':
    case 'cancel':
      return { ...base, label: 'Cancelled', tone: 'neutral' };
    case 'customer_flag':
      return { ...base, label: 'Customer flags changed', tone: 'neutral' };
    default:
      return { ...base, label: event.type, tone: 'neutral' };
  }
}

/** The steps a call's timestamps, transfers and deflections tell (a real tenant's call). */
function derived(call: Call): RawStep[] {
  const steps: RawStep[] = [];
  const push = (at: string | null, step: Omit<RawStep, 'at'>) => {
    if (at) steps.push({ ...step, at });
  };
  push(call.created_at, {
    kind: 'created',
    label: 'Created',
    detail: call.menu_path?.name ?? call.selected_menu?.name ?? null,
    tone: 'neutral',
  });
  if (call.scheduled_at) {
    push(call.created_at, {
      kind: 'scheduled',
      label: 'Scheduled',
      detail: `For ${call.scheduled_at}`,
      tone: 'neutral',
    });
  }
  push(call.queued_at, {
    kind: 'queued',
    label: 'Queued',
    detail: call.menu_path?.name ?? null,
    tone: 'progress',
  });
  push(call.assigned_at, {
    kind: 'assigned',
    label: 'Assigned',
    detail: call.agent_info?.name ?? null,
    tone: 'progress',
  });
  push(call.connected_at, { kind: 'connect', label: 'Connected', detail: null, tone: 'success' });
  for (const d of call.deflection_details) {
    push(d.created_at, {
      kind: 'deflect',
      label: 'Deflected',
      detail: d.deflection,
      tone: 'warning',
    });
  }
  for (const t of call.transfers) {
    push(t.created_at, {
      kind: 'transfer',
      label: 'Transfer started',
      detail: transferTarget(t),
      tone: 'progress',
    });
    if (t.status === 'transferred') {
      push(t.ended_at, {
        kind: 'transfer_accept',
        label: 'Transferred',
        detail: transferTarget(t),
        tone: 'success',
      });
    } else if (t.status === 'failed') {
      push(t.ended_at, {
        kind: 'transfer_fail',
        label: hasFailReason(t.fail_reason)
          ? `Transfer failed: ${failReasonLabel(t.fail_reason)}`
          : 'Transfer failed',
        detail: transferTarget(t),
        tone: 'error',
      });
    }
  }
  if (call.ends_at) {
    if (call.status === 'failed') {
      push(call.ends_at, {
        kind: 'fail',
        label: hasFailReason(call.fail_reason)
          ? `Failed: ${failReasonLabel(call.fail_reason)}`
          : 'Failed',
        detail: call.fail_details,
        tone: 'error',
      });
    } else if (call.status === 'finished') {
      push(call.ends_at, {
        kind: 'finish',
        label: 'Finished',
        detail:
          call.disconnected_by && call.disconnected_by !== 'disconnected_by_unknown'
            ? `Disconnected by ${disconnectedByLabel(call.disconnected_by).toLowerCase()}`
            : null,
        tone: 'neutral',
      });
    } else {
      push(call.ends_at, {
        kind: call.status,
        label: statusLabel(call.status),
        detail: null,
        tone: 'neutral',
      });
    }
  } else if (isTerminalStatus(call.status) && call.updated_at) {
    // Ended without an end time (voicemail, cancelled): the last change is when.
    push(call.updated_at, {
      kind: call.status,
      label: statusLabel(call.status),
      detail: null,
      tone: 'neutral',
    });
  }
  return steps;
}

export function buildTimeline(call: Call): TimelineStep[] {
  const raw = call.events.length > 0 ? call.events.map((e) => fromEvent(e, call)) : derived(call);
  if (call.events.length > 0 && !raw.some((s) => s.kind === 'created')) {
    raw.unshift({
      kind: 'created',
      label: 'Created',
      detail: null,
      at: call.created_at,
      tone: 'neutral',
    });
  }
  // Stable sort by time: steps recorded at the same moment keep their order.
  const ordered = raw
    .map((step, index) => ({ step, index, time: Date.parse(step.at) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((x) => x.step);
  return ordered.map((step, index) => ({
    ...step,
    key: `${index}-${step.kind}-${step.at}`,
    sincePrevious: index === 0 ? undefined : secondsBetween(ordered[index - 1]!.at, step.at),
    sinceStart: secondsBetween(call.created_at, step.at),
  }));
}
