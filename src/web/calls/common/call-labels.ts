import type { ChipProps } from '@mui/material/Chip';

// Readable names for the wire values of the call object. A value the desk does not know
// (the service may add some at any time) is shown exactly as it came, never dropped.

const STATUS_LABELS: Readonly<Record<string, string>> = {
  selecting: 'Selecting',
  queued: 'Queued',
  assigned: 'Assigned',
  connecting: 'Connecting',
  connected: 'Connected',
  finished: 'Finished',
  failed: 'Failed',
  switching: 'Switching',
  recovered: 'Recovered',
  scheduled: 'Scheduled',
  action_only: 'Action Only',
  action_only_finished: 'Action Only Finished',
  deflected: 'Deflected',
  voicemail: 'Voicemail',
  voicemail_received: 'Voicemail Received',
  voicemail_read: 'Voicemail Read',
  cancelled: 'Cancelled',
};

type ChipColor = NonNullable<ChipProps['color']>;

const STATUS_COLORS: Readonly<Record<string, ChipColor>> = {
  selecting: 'info',
  queued: 'info',
  assigned: 'primary',
  connecting: 'primary',
  connected: 'success',
  finished: 'default',
  failed: 'error',
  switching: 'warning',
  recovered: 'secondary',
  scheduled: 'secondary',
  action_only: 'primary',
  action_only_finished: 'default',
  deflected: 'warning',
  voicemail: 'warning',
  voicemail_received: 'warning',
  voicemail_read: 'default',
  cancelled: 'default',
};

export function statusLabel(status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status]! : status;
}

export function statusColor(status: string): ChipColor {
  return Object.hasOwn(STATUS_COLORS, status) ? STATUS_COLORS[status]! : 'default';
}

const FAIL_REASON_LABELS: Readonly<Record<string, string>> = {
  nothing: 'No failure',
  unknown: 'Unknown reason',
  expired: 'Expired before an agent answered',
  transfer_expired: 'Transfer expired',
  eu_canceled: 'Customer cancelled',
  eu_rejected: 'Customer rejected the call',
  eu_abandoned: 'Customer abandoned the call',
  eu_in_menu_abandoned: 'Customer hung up in the menu',
  eu_busy: 'Customer was busy',
  eu_wrong_number: 'Wrong customer number',
  eu_no_answer: 'Customer did not answer',
  ag_canceled: 'Agent cancelled',
  ag_ignored: 'Agent ignored the call',
  voip_conn_timeout: 'Voice connection timed out',
  menu_deleted: 'Menu was deleted',
};

export function failReasonLabel(reason: string): string {
  return Object.hasOwn(FAIL_REASON_LABELS, reason) ? FAIL_REASON_LABELS[reason]! : reason;
}

/** True when a fail reason says something (the service writes `nothing` on healthy calls). */
export function hasFailReason(reason: string | null | undefined): reason is string {
  return Boolean(reason) && reason !== 'nothing';
}

const CALL_TYPE_LABELS: Readonly<Record<string, string>> = {
  'Voice Outbound (API)': 'Outbound',
  'Voice Inbound (API)': 'Inbound',
  'Voice Scheduled (API)': 'Scheduled',
};

/** "Outbound" for the canonical name; anything else as it came. */
export function callTypeLabel(callType: string): string {
  return Object.hasOwn(CALL_TYPE_LABELS, callType) ? CALL_TYPE_LABELS[callType]! : callType;
}

const TRANSFER_STATUS_LABELS: Readonly<Record<string, string>> = {
  transferring: 'Transferring',
  transferred: 'Transferred',
  failed: 'Failed',
};

export function transferStatusLabel(status: string): string {
  return Object.hasOwn(TRANSFER_STATUS_LABELS, status) ? TRANSFER_STATUS_LABELS[status]! : status;
}

const PARTICIPANT_LABELS: Readonly<Record<string, string>> = {
  agent: 'Agent',
  end_user: 'End user',
  waiting: 'Waiting',
  connected: 'Connected',
  finished: 'Finished',
  failed: 'Failed',
};

export function participantLabel(value: string): string {
  return Object.hasOwn(PARTICIPANT_LABELS, value) ? PARTICIPANT_LABELS[value]! : value;
}

const RECORDING_PERMISSION_LABELS: Readonly<Record<string, string>> = {
  recording_permission_not_asked: 'Not asked',
  recording_permission_granted: 'Granted',
  recording_permission_denied: 'Denied',
  not_asked: 'Not asked',
  granted: 'Granted',
  denied: 'Denied',
};

export function recordingPermissionLabel(value: string): string {
  return Object.hasOwn(RECORDING_PERMISSION_LABELS, value)
    ? RECORDING_PERMISSION_LABELS[value]!
    : value;
}

const MENU_STATE_LABELS: Readonly<Record<string, string>> = {
  open: 'Open',
  after_hours: 'After hours',
  manual_redirection: 'Manual redirection',
};

export function menuStateLabel(state: string): string {
  return Object.hasOwn(MENU_STATE_LABELS, state) ? MENU_STATE_LABELS[state]! : state;
}

const MENU_TYPE_LABELS: Readonly<Record<string, string>> = {
  ivr_menu: 'IVR',
  mobile_menu: 'Mobile',
  web_menu: 'Web',
  chat_menu: 'Chat',
};

export function menuTypeLabel(type: string): string {
  return Object.hasOwn(MENU_TYPE_LABELS, type) ? MENU_TYPE_LABELS[type]! : type;
}

const DISCONNECTED_BY_LABELS: Readonly<Record<string, string>> = {
  disconnected_by_unknown: 'Unknown',
  disconnected_by_agent: 'Agent',
  disconnected_by_end_user: 'End user',
  disconnected_by_system: 'System',
};

export function disconnectedByLabel(value: string): string {
  return Object.hasOwn(DISCONNECTED_BY_LABELS, value) ? DISCONNECTED_BY_LABELS[value]! : value;
}
