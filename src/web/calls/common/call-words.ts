import type { ChipProps } from '@mui/material/Chip';
import { useMemo } from 'react';
import { defineMessages, useIntl, type IntlShape, type MessageDescriptor } from 'react-intl';
import { isTerminalStatus } from '../../../contract/call-constants.ts';

// The call object's wire values in the agent's words. A value the desk does not know (the
// service may add some at any time) is shown exactly as it came, never dropped.

const statusWords = defineMessages({
  selecting: { id: 'status.selecting', defaultMessage: 'In the menu' },
  queued: { id: 'status.queued', defaultMessage: 'Queued' },
  assigned: { id: 'status.assigned', defaultMessage: 'Assigned' },
  connecting: { id: 'status.connecting', defaultMessage: 'Connecting' },
  connected: { id: 'status.connected', defaultMessage: 'Connected' },
  finished: { id: 'status.finished', defaultMessage: 'Finished' },
  failed: { id: 'status.failed', defaultMessage: 'Failed' },
  switching: { id: 'status.switching', defaultMessage: 'Switching provider' },
  recovered: { id: 'status.recovered', defaultMessage: 'Recovered' },
  scheduled: { id: 'status.scheduled', defaultMessage: 'Scheduled' },
  action_only: { id: 'status.action_only', defaultMessage: 'Action only' },
  action_only_finished: { id: 'status.action_only_finished', defaultMessage: 'Action only, done' },
  deflected: { id: 'status.deflected', defaultMessage: 'Deflected' },
  voicemail: { id: 'status.voicemail', defaultMessage: 'Leaving voicemail' },
  voicemail_received: { id: 'status.voicemail_received', defaultMessage: 'Voicemail received' },
  voicemail_read: { id: 'status.voicemail_read', defaultMessage: 'Voicemail read' },
  cancelled: { id: 'status.cancelled', defaultMessage: 'Cancelled' },
  on_hold: { id: 'status.on_hold', defaultMessage: 'On hold' },
});

/** The four kinds of status an agent sorts calls by. */
export const STATUS_GROUPS = ['active', 'waiting', 'scheduled', 'ended'] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

export const STATUSES_OF: Readonly<Record<StatusGroup, readonly string[]>> = {
  active: ['assigned', 'connecting', 'connected', 'switching', 'action_only'],
  waiting: ['selecting', 'queued', 'deflected', 'voicemail'],
  scheduled: ['scheduled'],
  ended: [
    'finished',
    'failed',
    'recovered',
    'action_only_finished',
    'voicemail_received',
    'voicemail_read',
    'cancelled',
  ],
};

function statusGroup(status: string): StatusGroup | undefined {
  for (const group of STATUS_GROUPS) if (STATUSES_OF[group].includes(status)) return group;
  return isTerminalStatus(status) ? 'ended' : undefined;
}

const groupWords = defineMessages({
  active: { id: 'statusGroup.active', defaultMessage: 'Active' },
  waiting: { id: 'statusGroup.waiting', defaultMessage: 'Waiting' },
  scheduled: { id: 'statusGroup.scheduled', defaultMessage: 'Scheduled' },
  ended: { id: 'statusGroup.ended', defaultMessage: 'Ended' },
});

type ChipColor = NonNullable<ChipProps['color']>;

export function statusColor(status: string): ChipColor {
  if (status === 'failed') return 'error';
  if (status === 'on_hold') return 'warning';
  switch (statusGroup(status)) {
    case 'active':
      return 'success';
    case 'waiting':
      return 'info';
    case 'scheduled':
      return 'secondary';
    default:
      return 'default';
  }
}

const failReasonWords = defineMessages({
  nothing: { id: 'failReason.nothing', defaultMessage: 'No failure' },
  unknown: { id: 'failReason.unknown', defaultMessage: 'Unknown reason' },
  expired: { id: 'failReason.expired', defaultMessage: 'Expired before an agent answered' },
  transfer_expired: { id: 'failReason.transfer_expired', defaultMessage: 'Transfer expired' },
  eu_canceled: { id: 'failReason.eu_canceled', defaultMessage: 'Customer cancelled' },
  eu_rejected: { id: 'failReason.eu_rejected', defaultMessage: 'Customer rejected the call' },
  eu_abandoned: { id: 'failReason.eu_abandoned', defaultMessage: 'Customer abandoned the call' },
  eu_in_menu_abandoned: {
    id: 'failReason.eu_in_menu_abandoned',
    defaultMessage: 'Customer hung up in the menu',
  },
  eu_busy: { id: 'failReason.eu_busy', defaultMessage: 'Customer was busy' },
  eu_wrong_number: { id: 'failReason.eu_wrong_number', defaultMessage: 'Wrong customer number' },
  eu_no_answer: { id: 'failReason.eu_no_answer', defaultMessage: 'Customer did not answer' },
  ag_canceled: { id: 'failReason.ag_canceled', defaultMessage: 'Cancelled at the desk' },
  ag_ignored: { id: 'failReason.ag_ignored', defaultMessage: 'Agent ignored the call' },
  voip_conn_timeout: {
    id: 'failReason.voip_conn_timeout',
    defaultMessage: 'Voice connection timed out',
  },
  menu_deleted: { id: 'failReason.menu_deleted', defaultMessage: 'Menu was deleted' },
});

const callTypeWords = defineMessages({
  'Voice Outbound (API)': { id: 'callType.outbound', defaultMessage: 'Outbound' },
  'Voice Inbound (API)': { id: 'callType.inbound', defaultMessage: 'Inbound' },
  'Voice Scheduled (API)': { id: 'callType.scheduled', defaultMessage: 'Scheduled' },
});

const transferStatusWords = defineMessages({
  transferring: { id: 'transferStatus.transferring', defaultMessage: 'Transferring' },
  transferred: { id: 'transferStatus.transferred', defaultMessage: 'Transferred' },
  failed: { id: 'transferStatus.failed', defaultMessage: 'Failed' },
});

const participantTypeWords = defineMessages({
  agent: { id: 'participant.agent', defaultMessage: 'Agent' },
  end_user: { id: 'participant.end_user', defaultMessage: 'Customer' },
});

const participantStatusWords = defineMessages({
  waiting: { id: 'participantStatus.waiting', defaultMessage: 'Waiting' },
  connected: { id: 'participantStatus.connected', defaultMessage: 'On the call' },
  finished: { id: 'participantStatus.finished', defaultMessage: 'Left the call' },
  failed: { id: 'participantStatus.failed', defaultMessage: 'Not reached' },
});

const recordingPermissionWords = defineMessages({
  recording_permission_not_asked: { id: 'recording.not_asked', defaultMessage: 'Not asked' },
  recording_permission_granted: { id: 'recording.granted', defaultMessage: 'Allowed' },
  recording_permission_denied: { id: 'recording.denied', defaultMessage: 'Refused' },
  not_asked: { id: 'recording.not_asked', defaultMessage: 'Not asked' },
  granted: { id: 'recording.granted', defaultMessage: 'Allowed' },
  denied: { id: 'recording.denied', defaultMessage: 'Refused' },
});

const menuStateWords = defineMessages({
  open: { id: 'menuState.open', defaultMessage: 'Open' },
  after_hours: { id: 'menuState.after_hours', defaultMessage: 'After hours' },
  manual_redirection: { id: 'menuState.manual_redirection', defaultMessage: 'Redirected' },
});

const menuTypeWords = defineMessages({
  ivr_menu: { id: 'menuType.ivr_menu', defaultMessage: 'Phone (IVR)' },
  mobile_menu: { id: 'menuType.mobile_menu', defaultMessage: 'Mobile' },
  web_menu: { id: 'menuType.web_menu', defaultMessage: 'Web' },
  chat_menu: { id: 'menuType.chat_menu', defaultMessage: 'Chat' },
});

const disconnectedByWords = defineMessages({
  disconnected_by_agent: { id: 'disconnectedBy.agent', defaultMessage: 'The agent hung up' },
  disconnected_by_end_user: {
    id: 'disconnectedBy.end_user',
    defaultMessage: 'The customer hung up',
  },
  disconnected_by_system: { id: 'disconnectedBy.system', defaultMessage: 'The system ended it' },
});

function lookup(
  intl: IntlShape,
  table: Readonly<Record<string, MessageDescriptor>>,
  value: string,
): string {
  // hasOwn: a value spelled like an Object.prototype key is not a word of ours.
  return Object.hasOwn(table, value) ? intl.formatMessage(table[value]!) : value;
}

/** True when a fail reason says something (the service writes `nothing` on healthy calls). */
export function hasFailReason(reason: string | null | undefined): reason is string {
  return Boolean(reason) && reason !== 'nothing';
}

/** True when the desk has words for the value (otherwise it shows as it came). */
export function isKnownFailReason(reason: string): boolean {
  return Object.hasOwn(failReasonWords, reason);
}

/**
 * Who ended the call, in words; undefined when nobody knows (`disconnected_by_unknown`
 * says nothing an agent can use).
 */
function disconnectedByWords_(intl: IntlShape, value: string | null | undefined) {
  if (!value || value === 'disconnected_by_unknown') return undefined;
  return lookup(intl, disconnectedByWords, value);
}

export function callWords(intl: IntlShape) {
  return {
    status: (status: string) => lookup(intl, statusWords, status),
    statusGroup: (group: StatusGroup) => intl.formatMessage(groupWords[group]),
    failReason: (reason: string) => lookup(intl, failReasonWords, reason),
    callType: (callType: string) => lookup(intl, callTypeWords, callType),
    transferStatus: (status: string) => lookup(intl, transferStatusWords, status),
    participantType: (type: string) => lookup(intl, participantTypeWords, type),
    participantStatus: (status: string) => lookup(intl, participantStatusWords, status),
    recordingPermission: (value: string) => lookup(intl, recordingPermissionWords, value),
    menuState: (state: string) => lookup(intl, menuStateWords, state),
    menuType: (type: string) => lookup(intl, menuTypeWords, type),
    disconnectedBy: (value: string | null | undefined) => disconnectedByWords_(intl, value),
  };
}

export type CallWords = ReturnType<typeof callWords>;

export function useCallWords(): CallWords {
  const intl = useIntl();
  return useMemo(() => callWords(intl), [intl]);
}
