// The Call API's error texts, each tied to the request field it belongs to (or to none),
// so that the server answers with exactly these words and the desk can put a server's 400
// under the input it is about. Texts follow ../../docs/decisions and the CALL-API contract.

/** A request field an error can belong to; `null` means the error is about the request as a whole. */
export type ErrorField =
  | 'call_type'
  | 'agent_email'
  | 'ticket_id'
  | 'end_user_number'
  | 'outbound_number'
  | 'lang'
  | 'menu_id'
  | 'call_id'
  | 'recording_permission'
  | 'scheduled_at'
  | null;

interface FixedError {
  readonly message: string;
  readonly field: ErrorField;
}

const fixed = <T extends Record<string, FixedError>>(table: T): T => table;

/** Errors whose text never changes. */
export const API_ERRORS = fixed({
  invalidCallType: { message: 'Invalid call type', field: 'call_type' },
  agentEmailRequired: { message: 'Agent email required', field: 'agent_email' },
  ticketOrNumberRequired: {
    message: 'ticket_id or end_user_number required',
    field: 'end_user_number',
  },
  notValidAgentEmail: { message: 'Not a valid agent email', field: 'agent_email' },
  agentCannotMakeCalls: { message: 'Agent does not have access to make calls', field: null },
  agentNotAvailable: { message: 'Agent is not available to take this call', field: null },
  contactNotFound: { message: 'Contact not found', field: 'ticket_id' },
  ticketIdNotWellFormed: { message: 'ticket_id is not well formed', field: 'ticket_id' },
  outboundEndUserNumberNotWellFormed: {
    message: 'end_user_number is not well-formed',
    field: 'end_user_number',
  },
  langNotWellFormed: { message: 'lang is not well formed', field: 'lang' },
  outboundNumberNotWellFormed: {
    message: 'outbound_number is not well-formed',
    field: 'outbound_number',
  },
  outboundNumberNotAvailable: {
    message: 'outbound_number is not available',
    field: 'outbound_number',
  },
  menuIdRequired: { message: 'menu_id is required', field: 'menu_id' },
  menuIdNotWellFormed: { message: 'menu_id is not well formed', field: 'menu_id' },
  callIdNotWellFormed: { message: 'call_id is not well formed', field: 'call_id' },
  endUserNumberRequired: { message: 'end_user_number is required', field: 'end_user_number' },
  endUserNumberNotWellFormed: {
    message: 'end_user_number is not well formed',
    field: 'end_user_number',
  },
  recordingPermissionNotValid: {
    message: 'recording_permission is not valid',
    field: 'recording_permission',
  },
  onlyIvrAndMobileMenus: {
    message: 'Only IVR and mobile menu IDs are permitted',
    field: 'menu_id',
  },
  onlyMobileAndWebMenus: {
    message: 'Only mobile and web menu IDs are permitted',
    field: 'menu_id',
  },
  menuManualRedirection: {
    message: "Menu is in 'manual redirection' state, can't accept calls",
    field: 'menu_id',
  },
  menuAfterHours: {
    message: "Menu is in 'after hours' state, can't accept incoming calls",
    field: 'menu_id',
  },
  scheduledAtRequired: { message: 'scheduled_at is required', field: 'scheduled_at' },
  scheduledAtNotWellFormed: { message: 'scheduled_at is not well formed', field: 'scheduled_at' },
  scheduledAtNotInFuture: { message: 'scheduled_at must be in the future', field: 'scheduled_at' },
  // 202 answers: accepted, but the agent must choose before the call is placed.
  chooseOutboundNumber: { message: 'Need to choose an outbound number', field: 'outbound_number' },
  chooseTicketNumber: {
    message: 'Agent must make an outbound call with ticket ID',
    field: 'end_user_number',
  },
  // Transport and generic errors.
  resourceNotFound: { message: 'Resource not found', field: null },
  tenantNotFound: { message: 'Resource not found - Please check your subdomain', field: null },
  unauthorized: { message: 'Unauthorized', field: null },
  malformedJson: { message: 'Malformed JSON body', field: null },
  bodyNotObject: { message: 'Request body must be a JSON object', field: null },
  bodyNotUtf8: { message: 'Request body is not valid UTF-8', field: null },
  bodyNotWellFormed: { message: 'Request body is not well formed', field: null },
  bodyTooLarge: { message: 'Request body is too large', field: null },
  unsupportedMediaType: { message: 'Content-Type must be application/json', field: null },
  tooManyRequests: { message: 'Too many requests', field: null },
  tooManyFailedLogins: { message: 'Too many failed logins: try again later', field: null },
  internal: { message: 'Internal server error', field: null },
  storageFull: { message: 'Storage is full: the change was not saved', field: null },
  storageUnavailable: {
    message: 'Storage is not available: the change was not saved',
    field: null,
  },
  onlyScheduledCanBeCancelled: { message: 'Only scheduled calls can be cancelled', field: null },
  callIdsRequired: { message: 'call_ids is required', field: null },
  callIdsNotWellFormed: { message: 'call_ids is not well formed', field: null },
  flagRequired: {
    message: 'verified_customer, bad_actor or repeat_customer required',
    field: null,
  },
  unknownEventType: { message: 'Unknown event type', field: null },
});

export type ApiErrorKey = keyof typeof API_ERRORS;

/** Errors whose text carries a value from the request. */
export const apiErrorText = {
  languageNotFound: (lang: string) => `Language '${lang}' is not found`,
  languageNotAvailable: (lang: string) => `Language '${lang}' is not available`,
  menuNotFound: (menuIdAsSent: string) => `menu_id ${menuIdAsSent} is not found`,
  callNotFound: (callIdAsSent: string) => `call_id ${callIdAsSent} is not found`,
  mustBeBoolean: (key: string) => `${key} must be a boolean`,
  paramNotWellFormed: (param: string) => `${param} is not well formed`,
  cannotApplyEvent: (type: string, status: string) => `Cannot ${type} a call that is ${status}`,
} as const;

const templated: ReadonlyArray<{ pattern: RegExp; field: ErrorField }> = [
  { pattern: /^Language '.*' is not (found|available)$/, field: 'lang' },
  { pattern: /^menu_id .* is not found$/, field: 'menu_id' },
  { pattern: /^call_id .* is not found$/, field: 'call_id' },
];

const byMessage = new Map<string, ErrorField>(
  Object.values(API_ERRORS).map((e) => [e.message, e.field]),
);

/** The request fields, for texts that name one ("end_user_number is not well formed"). */
const REQUEST_FIELDS: ReadonlySet<string> = new Set<Exclude<ErrorField, null>>([
  'call_type',
  'agent_email',
  'ticket_id',
  'end_user_number',
  'outbound_number',
  'lang',
  'menu_id',
  'call_id',
  'recording_permission',
  'scheduled_at',
]);

/**
 * The request field a server error message belongs to, or null when it is about the
 * request as a whole (the desk shows those above the form). Unknown texts belong to none.
 */
export function fieldForApiError(message: string): ErrorField {
  const known = byMessage.get(message);
  if (known !== undefined) return known;
  for (const { pattern, field } of templated) if (pattern.test(message)) return field;
  const named = /^([a-z_]+) is not well[ -]formed$/.exec(message)?.[1];
  if (named && REQUEST_FIELDS.has(named)) return named as ErrorField;
  return null;
}
