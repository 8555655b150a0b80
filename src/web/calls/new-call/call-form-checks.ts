import { zodResolver } from '@hookform/resolvers/zod';
import { AsYouType } from 'libphonenumber-js/min';
import type { FieldErrors, Resolver } from 'react-hook-form';
import { API_ERRORS, type ErrorField } from '../../../contract/api-errors.ts';
import {
  InboundCallRequestSchema,
  OutboundCallRequestSchema,
  ScheduledCallRequestSchema,
  type CreateCallRequest,
} from '../../../contract/call-requests.ts';
import {
  formFieldFor,
  parseLocalInput,
  toCreateRequest,
  type CallFormField,
  type CallFormValues,
  type NewCallKind,
} from './call-form-values.ts';

// What the new-call forms check and format with: the contract's request schemas and
// libphonenumber's metadata. A chunk of its own, loaded once the form has painted
// (use-call-form-checks.ts): the form is usable before it arrives, and nothing is sent
// before it has checked the request.

export { parsePhone } from '../../../contract/phone.ts';
export { customerTime, phoneCountry } from './customer-time.ts';

/** Formats a number as it is typed ("+12051234567" → "+1 205 123 4567"), never dropping what was typed. */
export function formatPhoneAsTyped(text: string): string {
  if (!text.trimStart().startsWith('+') || /[^\d\s()+\-.]/.test(text)) return text;
  const formatted = new AsYouType().input(text);
  const digits = (s: string) => s.replace(/\D/g, '');
  return formatted && digits(formatted) === digits(text) ? formatted : text;
}

// ---------------------------------------------------------------------------------------
// Client-side validation: the contract's request schemas, applied to the request the
// form would send, so the form says exactly what the server would, under the same field.
// ---------------------------------------------------------------------------------------

const schemaResolvers = {
  outbound: zodResolver(OutboundCallRequestSchema, undefined, { raw: true }),
  inbound: zodResolver(InboundCallRequestSchema, undefined, { raw: true }),
  scheduled: zodResolver(ScheduledCallRequestSchema, undefined, { raw: true }),
};

export function callFormResolver(
  kind: NewCallKind,
  now: () => Date = () => new Date(),
): Resolver<CallFormValues> {
  return async (values, context, options) => {
    const request = toCreateRequest(kind, values);
    const resolve = schemaResolvers[kind] as unknown as Resolver<CreateCallRequest>;
    const result = await resolve(request, context, options as never);
    const errors = { ...(result.errors as FieldErrors<CallFormValues>) };
    // Only fields this tab shows can carry an error; the rest would be invisible.
    for (const key of Object.keys(errors)) {
      if (formFieldFor(kind, key as ErrorField) === null) delete errors[key as CallFormField];
    }
    // A missing menu is "required", not "not well formed" (the server's step 1 order).
    if (kind === 'inbound' && values.menu_id.trim() === '') {
      errors.menu_id = { type: 'required', message: API_ERRORS.menuIdRequired.message };
    }
    if (kind === 'scheduled' && !errors.scheduled_at) {
      const at = parseLocalInput(values.scheduled_at.trim());
      if (at && at.getTime() <= now().getTime()) {
        errors.scheduled_at = {
          type: 'future',
          message: API_ERRORS.scheduledAtNotInFuture.message,
        };
      }
    }
    if (Object.keys(errors).length > 0) return { values: {}, errors };
    return { values, errors: {} };
  };
}
