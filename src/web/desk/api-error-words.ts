import { defineMessages, type MessageDescriptor } from 'react-intl';
import { API_ERRORS, type ApiErrorKey } from '../../contract/api-errors.ts';
import { DESK_ERRORS } from '../../contract/desk.ts';
import { valueMessages } from '../lib/message-table.ts';

// The Call API's error texts in the agent's words: what happened and what to do. One entry
// per entry of the contract's table (src/contract/api-errors.ts, which ties each text to
// its form field), so a text the API adds there cannot go unworded here (the type says so),
// and the templated texts by their pattern. A text the desk does not know is shown as it came.

const words = defineMessages({
  invalidCallType: {
    id: 'apiError.invalidCallType',
    defaultMessage: 'This kind of call is not known. Choose Outbound, Inbound or Scheduled.',
  },
  agentEmailRequired: {
    id: 'apiError.agentEmailRequired',
    defaultMessage: 'Say which agent places the call: enter their email.',
  },
  ticketOrNumberRequired: {
    id: 'apiError.ticketOrNumberRequired',
    defaultMessage: 'Enter the customer’s number, or a ticket ID to call its contact.',
  },
  notValidAgentEmail: {
    id: 'apiError.notValidAgentEmail',
    defaultMessage: 'No agent of this tenant has this email. Pick one from the list.',
  },
  agentCannotMakeCalls: {
    id: 'apiError.agentCannotMakeCalls',
    defaultMessage:
      'This agent may not place calls. Choose another agent, or ask an admin for the permission.',
  },
  agentNotAvailable: {
    id: 'apiError.agentNotAvailable',
    defaultMessage:
      'This agent is not available right now. Set them available, or choose another agent.',
  },
  contactNotFound: {
    id: 'apiError.contactNotFound',
    defaultMessage: 'The ticket has no contact to call. Check the ticket ID, or enter a number.',
  },
  ticketIdNotWellFormed: {
    id: 'apiError.ticketIdNotWellFormed',
    defaultMessage: 'This ticket ID cannot be right. Copy it again from the CRM.',
  },
  outboundEndUserNumberNotWellFormed: {
    id: 'apiError.outboundEndUserNumberNotWellFormed',
    defaultMessage:
      'This is not a phone number. Write it with the country code, e.g. +1 205 123 4567.',
  },
  langNotWellFormed: {
    id: 'apiError.langNotWellFormed',
    defaultMessage: 'Write the language as a two-letter code, e.g. en or es.',
  },
  outboundNumberNotWellFormed: {
    id: 'apiError.outboundNumberNotWellFormed',
    defaultMessage: 'The outbound number is not a phone number. Pick one from the list.',
  },
  outboundNumberNotAvailable: {
    id: 'apiError.outboundNumberNotAvailable',
    defaultMessage: 'The tenant cannot call from this number. Pick one of its outbound numbers.',
  },
  menuIdRequired: {
    id: 'apiError.menuIdRequired',
    defaultMessage: 'Choose the menu the call comes in through.',
  },
  menuIdNotWellFormed: {
    id: 'apiError.menuIdNotWellFormed',
    defaultMessage: 'This is not a menu. Pick one from the list.',
  },
  callIdNotWellFormed: {
    id: 'apiError.callIdNotWellFormed',
    defaultMessage: 'A call ID is a number, e.g. 42.',
  },
  endUserNumberRequired: {
    id: 'apiError.endUserNumberRequired',
    defaultMessage: 'Enter the customer’s number.',
  },
  endUserNumberNotWellFormed: {
    id: 'apiError.endUserNumberNotWellFormed',
    defaultMessage:
      'This is not a phone number. Write it with the country code, e.g. +1 205 123 4567.',
  },
  recordingPermissionNotValid: {
    id: 'apiError.recordingPermissionNotValid',
    defaultMessage: 'Choose whether the customer allowed recording.',
  },
  onlyIvrAndMobileMenus: {
    id: 'apiError.onlyIvrAndMobileMenus',
    defaultMessage:
      'An inbound call comes through a phone (IVR) or mobile menu. Choose one of those.',
  },
  onlyMobileAndWebMenus: {
    id: 'apiError.onlyMobileAndWebMenus',
    defaultMessage: 'A scheduled call is booked from a mobile or web menu. Choose one of those.',
  },
  menuManualRedirection: {
    id: 'apiError.menuManualRedirection',
    defaultMessage: 'This menu sends its calls elsewhere for now. Choose another menu.',
  },
  menuAfterHours: {
    id: 'apiError.menuAfterHours',
    defaultMessage: 'This menu is closed (after hours). Choose an open menu.',
  },
  scheduledAtRequired: {
    id: 'apiError.scheduledAtRequired',
    defaultMessage: 'Choose when to call the customer.',
  },
  scheduledAtNotWellFormed: {
    id: 'apiError.scheduledAtNotWellFormed',
    defaultMessage: 'This is not a date and time. Pick one in the calendar.',
  },
  scheduledAtNotInFuture: {
    id: 'apiError.scheduledAtNotInFuture',
    defaultMessage: 'This time has passed. Choose a time in the future.',
  },
  chooseOutboundNumber: {
    id: 'apiError.chooseOutboundNumber',
    defaultMessage: 'Choose the number to call from.',
  },
  chooseTicketNumber: {
    id: 'apiError.chooseTicketNumber',
    defaultMessage: 'The ticket’s contact has several numbers: choose the one to call.',
  },
  resourceNotFound: {
    id: 'apiError.resourceNotFound',
    defaultMessage: 'It is not there (any more). Go back to the list of calls.',
  },
  tenantNotFound: {
    id: 'apiError.tenantNotFound',
    defaultMessage: 'The desk is not connected to a known tenant. Tell whoever runs it.',
  },
  unauthorized: {
    id: 'apiError.unauthorized',
    defaultMessage: 'The desk was refused by the Call API. Tell whoever runs it (its credentials).',
  },
  malformedJson: {
    id: 'apiError.malformedJson',
    defaultMessage: 'The desk sent something the server could not read. Try again.',
  },
  bodyNotObject: {
    id: 'apiError.bodyNotObject',
    defaultMessage: 'The desk sent something the server could not read. Try again.',
  },
  bodyTooLarge: {
    id: 'apiError.bodyTooLarge',
    defaultMessage: 'What was sent is too long. Shorten it and try again.',
  },
  unsupportedMediaType: {
    id: 'apiError.unsupportedMediaType',
    defaultMessage: 'The desk sent something the server could not read. Try again.',
  },
  tooManyRequests: {
    id: 'apiError.tooManyRequests',
    defaultMessage: 'The Call API is busy. Wait a moment and try again.',
  },
  internal: {
    id: 'apiError.internal',
    defaultMessage: 'The server had a problem. Try again in a moment.',
  },
  tooManyFailedLogins: {
    id: 'apiError.tooManyFailedLogins',
    defaultMessage:
      'Too many failed sign-ins to the Call API from here. Wait a moment and try again.',
  },
  storageFull: {
    id: 'apiError.storageFull',
    defaultMessage:
      'The server’s storage is full: nothing was saved. Tell whoever runs the server.',
  },
  storageUnavailable: {
    id: 'apiError.storageUnavailable',
    defaultMessage:
      'The server cannot store anything right now: nothing was saved. Try again later, or tell whoever runs the server.',
  },
  bodyNotUtf8: {
    id: 'apiError.bodyNotUtf8',
    defaultMessage: 'The request was not valid text. Reload the page and try again.',
  },
  bodyNotWellFormed: {
    id: 'apiError.bodyNotWellFormed',
    defaultMessage:
      'The request held characters no field can take. Change what you typed and try again.',
  },
  onlyScheduledCanBeCancelled: {
    id: 'apiError.onlyScheduledCanBeCancelled',
    defaultMessage: 'Only a call that is still scheduled can be cancelled; this one has moved on.',
  },
  callIdsRequired: {
    id: 'apiError.callIdsRequired',
    defaultMessage: 'Say which calls to cancel.',
  },
  callIdsNotWellFormed: {
    id: 'apiError.callIdsNotWellFormed',
    defaultMessage: 'Call IDs are numbers, e.g. 42.',
  },
  flagRequired: {
    id: 'apiError.flagRequired',
    defaultMessage: 'Say which customer flag to change.',
  },
  unknownEventType: {
    id: 'apiError.unknownEventType',
    defaultMessage: 'The emulator does not know this event.',
  },
});
// Every text of the contract's table has its words: the compiler says which one does not.
const _everyText: Record<ApiErrorKey, MessageDescriptor> = words;

/** The desk's own server's refusals (src/contract/desk.ts). */
const deskWords = defineMessages({
  signInRequired: { id: 'deskError.signInRequired', defaultMessage: 'Sign in to go on.' },
  deskHeaderRequired: {
    id: 'deskError.deskHeaderRequired',
    defaultMessage: 'This address is for the Switchboard desk only.',
  },
  crossSite: {
    id: 'deskError.crossSite',
    defaultMessage: 'Another site tried to use the desk: refused. Reload the desk.',
  },
  pathNotWellFormed: {
    id: 'deskError.pathNotWellFormed',
    defaultMessage: 'The desk asked for an address that cannot be right. Reload the desk.',
  },
  notYourCall: {
    id: 'deskError.notYourCall',
    defaultMessage: 'You can place calls only as yourself: leave your own email as the agent.',
  },
  notYourAgent: {
    id: 'deskError.notYourAgent',
    defaultMessage: 'The desk acts only as you, the agent signed in.',
  },
  tenantUnreachable: {
    id: 'deskError.tenantUnreachable',
    defaultMessage: 'The contact center cannot be reached just now. Try again in a moment.',
  },
  tenantTimeout: {
    id: 'deskError.tenantTimeout',
    defaultMessage: 'The contact center did not answer in time. Try again in a moment.',
  },
  tenantRefusedToken: {
    id: 'deskError.tenantRefusedToken',
    defaultMessage:
      'The desk’s server cannot sign in to the contact center (its token was refused). Tell your administrator.',
  },
  tenantBusy: {
    id: 'deskError.tenantBusy',
    defaultMessage: 'The desk is sending the contact center all it allows. Try again shortly.',
  },
  outcomeUnknown: {
    id: 'deskError.outcomeUnknown',
    defaultMessage:
      'The contact center did not answer in time: the call may have been placed. The desk is checking; do not place it again yet.',
  },
  outcomePending: {
    id: 'deskError.outcomePending',
    defaultMessage:
      'Your last call may have been placed: wait until the desk has checked before you try again.',
  },
  handoffInvalid: {
    id: 'deskError.handoffInvalid',
    defaultMessage: 'This sign-in has expired. Sign in again.',
  },
  stateUnavailable: {
    id: 'deskError.stateUnavailable',
    defaultMessage: 'The desk’s server cannot reach its records just now. Try again in a moment.',
  },
});
const _everyDeskText: Record<keyof typeof DESK_ERRORS, MessageDescriptor> = deskWords;

const templatedWords = valueMessages(
  defineMessages({
    languageNotFound: {
      id: 'apiError.languageNotFound',
      defaultMessage: 'The language “{lang}” is not known. Pick one from the list.',
    },
    languageNotAvailable: {
      id: 'apiError.languageNotAvailable',
      defaultMessage: 'The tenant does not offer “{lang}”. Pick one of its languages.',
    },
    menuNotFound: {
      id: 'apiError.menuNotFound',
      defaultMessage: 'Menu {menu} does not exist. Pick one from the list.',
    },
    callNotFound: {
      id: 'apiError.callNotFound',
      defaultMessage: 'Call {call} does not exist. Check the number of the earlier call.',
    },
    mustBeBoolean: {
      id: 'apiError.mustBeBoolean',
      defaultMessage: '“{key}” is either on or off.',
    },
    paramNotWellFormed: {
      id: 'apiError.paramNotWellFormed',
      defaultMessage: 'The value of “{param}” cannot be right. Change it and try again.',
    },
    cannotApplyEvent: {
      id: 'apiError.cannotApplyEvent',
      defaultMessage: 'The call has moved on (it is {status} now): this cannot be done any more.',
    },
  }),
);

export interface WordedError {
  descriptor: MessageDescriptor;
  values?: Record<string, string>;
}

const byText = new Map<string, WordedError>([
  ...(Object.keys(API_ERRORS) as ApiErrorKey[]).map(
    (key) => [API_ERRORS[key].message, { descriptor: words[key] }] as const,
  ),
  ...(Object.keys(DESK_ERRORS) as Array<keyof typeof DESK_ERRORS>).map(
    (key) => [DESK_ERRORS[key], { descriptor: deskWords[key] }] as const,
  ),
]);

const templated: ReadonlyArray<{
  pattern: RegExp;
  word: (m: RegExpExecArray) => WordedError;
}> = [
  {
    pattern: /^Language '(.*)' is not found$/,
    word: (m) => ({ descriptor: templatedWords.languageNotFound, values: { lang: m[1]! } }),
  },
  {
    pattern: /^Language '(.*)' is not available$/,
    word: (m) => ({ descriptor: templatedWords.languageNotAvailable, values: { lang: m[1]! } }),
  },
  {
    pattern: /^menu_id (.*) is not found$/,
    word: (m) => ({ descriptor: templatedWords.menuNotFound, values: { menu: m[1]! } }),
  },
  {
    pattern: /^call_id (.*) is not found$/,
    word: (m) => ({ descriptor: templatedWords.callNotFound, values: { call: m[1]! } }),
  },
  {
    pattern: /^(\w+) must be a boolean$/,
    word: (m) => ({ descriptor: templatedWords.mustBeBoolean, values: { key: m[1]! } }),
  },
  {
    pattern: /^Cannot \w+ a call that is (.+)$/,
    word: (m) => ({ descriptor: templatedWords.cannotApplyEvent, values: { status: m[1]! } }),
  },
  {
    pattern: /^([\w[\]]+) is not well formed$/,
    word: (m) => ({ descriptor: templatedWords.paramNotWellFormed, values: { param: m[1]! } }),
  },
];

/** The agent's words for an API error text; undefined for a text the desk does not know. */
export function wordsForApiError(text: string): WordedError | undefined {
  const known = byText.get(text);
  if (known) return known;
  for (const { pattern, word } of templated) {
    const m = pattern.exec(text);
    if (m) return word(m);
  }
  return undefined;
}
