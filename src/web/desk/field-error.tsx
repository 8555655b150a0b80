import { ApiErrorText } from './api-error-text.tsx';

/** A field's error message as the agent reads it (the checks speak the API's own texts). */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? <ApiErrorText text={message} /> : null;
}
