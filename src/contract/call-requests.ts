import { z } from './zod.ts';
import { API_ERRORS } from './api-errors.ts';
import { MAX_PER_PAGE, RECORDING_PERMISSIONS, parseIsoDateTime } from './calls.ts';
import { isWellFormedPhone } from './phone.ts';

// The requests that create and cancel calls, kept apart from the call object so that a
// client which only reads calls does not load the phone-number metadata.

// ---------------------------------------------------------------------------------------
// Request fields: one definition of "well formed" for the server's ordered checks and the
// desk's forms. Types are strict: no coercion beyond what the contract names (an id may be
// an integer or a string of digits; a ticket id a string or an integer).
// ---------------------------------------------------------------------------------------

const digits = /^\d{1,15}$/;

/** An id sent as an integer or a string of digits, read as a number. */
export const IdFieldSchema = z
  .union([z.int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(digits)])
  .transform((v) => Number(v));

/** A CRM ticket id: a non-empty string or an integer, read as a string. */
export const TicketIdFieldSchema = z
  .union([z.string().trim().min(1).max(200), z.int()])
  .transform((v) => String(v).trim());

const LangFieldSchema = z.string().max(20);

// ---------------------------------------------------------------------------------------
// Create requests. Each carries the API's own texts as its issue messages, so a form
// resolved with it says what the server would say, under the same field.
// ---------------------------------------------------------------------------------------

const optionalText = z.string().trim().optional();

export const OutboundCallRequestSchema = z
  .object({
    call_type: z.literal(['Voice Outbound (API)', 'OutboundCall'], {
      error: API_ERRORS.invalidCallType.message,
    }),
    agent_email: z
      .string({ error: API_ERRORS.agentEmailRequired.message })
      .trim()
      .min(1, API_ERRORS.agentEmailRequired.message)
      .pipe(z.email({ error: API_ERRORS.notValidAgentEmail.message })),
    ticket_id: z
      .union([z.string().trim(), z.int()], { error: API_ERRORS.ticketIdNotWellFormed.message })
      .optional(),
    end_user_number: optionalText,
    outbound_number: z
      .string()
      .trim()
      .refine(
        (v) => v === '' || isWellFormedPhone(v),
        API_ERRORS.outboundNumberNotWellFormed.message,
      )
      .optional(),
    lang: LangFieldSchema.optional(),
  })
  .superRefine((req, ctx) => {
    const ticket = req.ticket_id === undefined ? '' : String(req.ticket_id).trim();
    const number = req.end_user_number ?? '';
    if (ticket === '' && number === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['end_user_number'],
        message: API_ERRORS.ticketOrNumberRequired.message,
      });
    } else if (ticket === '' && !isWellFormedPhone(number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['end_user_number'],
        message: API_ERRORS.outboundEndUserNumberNotWellFormed.message,
      });
    }
  });
export type OutboundCallRequest = z.input<typeof OutboundCallRequestSchema>;

// A string that is not digits fails inside its branch, and zod reports that branch's issue
// rather than the union's: the message must be on the regex too.
const menuIdField = z.union(
  [z.int().nonnegative(), z.string().regex(digits, API_ERRORS.menuIdNotWellFormed.message)],
  {
    error: (issue) =>
      issue.input === undefined
        ? API_ERRORS.menuIdRequired.message
        : API_ERRORS.menuIdNotWellFormed.message,
  },
);
const endUserNumberField = z
  .string({ error: API_ERRORS.endUserNumberRequired.message })
  .trim()
  .min(1, API_ERRORS.endUserNumberRequired.message)
  .refine(isWellFormedPhone, API_ERRORS.endUserNumberNotWellFormed.message);
const recordingPermissionField = z.enum(RECORDING_PERMISSIONS, {
  error: API_ERRORS.recordingPermissionNotValid.message,
});

export const InboundCallRequestSchema = z.object({
  call_type: z.literal(['Voice Inbound (API)', 'IncomingCall'], {
    error: API_ERRORS.invalidCallType.message,
  }),
  menu_id: menuIdField,
  end_user_number: endUserNumberField,
  lang: LangFieldSchema.optional(),
  recording_permission: recordingPermissionField.optional(),
  ticket_id: z.union([z.string().trim(), z.int()]).optional(),
  outbound_number: z.string().trim().optional(),
});
export type InboundCallRequest = z.input<typeof InboundCallRequestSchema>;

export const ScheduledCallRequestSchema = z
  .object({
    call_type: z.literal(['Voice Scheduled (API)', 'ScheduledCall'], {
      error: API_ERRORS.invalidCallType.message,
    }),
    menu_id: menuIdField.optional(),
    call_id: z
      .union(
        [z.int().nonnegative(), z.string().regex(digits, API_ERRORS.callIdNotWellFormed.message)],
        { error: API_ERRORS.callIdNotWellFormed.message },
      )
      .optional(),
    end_user_number: endUserNumberField,
    scheduled_at: z
      .string({ error: API_ERRORS.scheduledAtRequired.message })
      .min(1, API_ERRORS.scheduledAtRequired.message)
      .refine(
        (v) => parseIsoDateTime(v) !== undefined,
        API_ERRORS.scheduledAtNotWellFormed.message,
      ),
    lang: LangFieldSchema.optional(),
    recording_permission: recordingPermissionField.optional(),
    ticket_id: z.union([z.string().trim(), z.int()]).optional(),
    outbound_number: z.string().trim().optional(),
  })
  .superRefine((req, ctx) => {
    if (req.menu_id === undefined && req.call_id === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['menu_id'],
        message: API_ERRORS.menuIdRequired.message,
      });
    }
  });
export type ScheduledCallRequest = z.input<typeof ScheduledCallRequestSchema>;

export type CreateCallRequest = OutboundCallRequest | InboundCallRequest | ScheduledCallRequest;

export const BulkCancelRequestSchema = z.object({
  call_ids: z
    .array(z.union([z.int().nonnegative(), z.string().regex(digits)]))
    .min(1)
    .max(MAX_PER_PAGE),
});
