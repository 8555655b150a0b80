import type { CallApiError } from '../../contract/client.ts';

// The shell must not load the contract's client (and with it zod and libphonenumber) before
// a page needs it, so it recognises the client's error by shape instead of by class.
export function isCallApiError(error: unknown): error is CallApiError {
  return (
    error instanceof Error &&
    error.name === 'CallApiError' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}
