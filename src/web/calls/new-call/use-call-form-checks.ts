import { useEffect, useSyncExternalStore } from 'react';
import type { Resolver } from 'react-hook-form';
import { loadApiErrorWords } from '../../desk/api-error-text.tsx';
import { afterPaintWhenIdle } from '../../lib/idle.ts';
import type * as CallFormChecksModule from './call-form-checks.ts';
import type { CallFormValues, NewCallKind } from './call-form-values.ts';

// The form's checks (the request schemas, libphonenumber and its metadata) are a chunk of
// their own, larger than the rest of the form: requested once the form has painted and the
// browser is idle, or at once when something needs them (a blur, a number typed, Create
// call). The form takes input before they arrive; a submit waits for them.

export type CallFormChecks = typeof CallFormChecksModule;

let checks: CallFormChecks | undefined;
let loading: Promise<CallFormChecks> | undefined;
const listeners = new Set<() => void>();

export function loadCallFormChecks(): Promise<CallFormChecks> {
  // The checks speak the API's texts: the agent's words for them come along.
  void loadApiErrorWords().catch(() => {});
  loading ??= import('./call-form-checks.ts').then(
    (module) => {
      checks = module;
      for (const listener of listeners) listener();
      return module;
    },
    (error: unknown) => {
      // The connection was lost: the next need asks again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The checks once they have loaded (the caller renders again then); undefined before. */
export function useCallFormChecks(): CallFormChecks | undefined {
  return useSyncExternalStore(subscribe, () => checks);
}

/** Requests the checks after the form's first paint, when the browser is idle. */
export function usePreloadCallFormChecks(): void {
  useEffect(() => afterPaintWhenIdle(() => void loadCallFormChecks().catch(() => {})), []);
}

/**
 * The form's resolver: it waits for the checks, so a submit before they arrive is checked
 * all the same, and its errors land under their fields. When they cannot be loaded the
 * submit stops, with the reason above the form.
 */
export function lazyCallFormResolver(kind: NewCallKind): Resolver<CallFormValues> {
  let resolver: Resolver<CallFormValues> | undefined;
  return async (values, context, options) => {
    try {
      resolver ??= (await loadCallFormChecks()).callFormResolver(kind);
    } catch {
      return {
        values: {},
        errors: {
          root: {
            server: {
              type: 'network',
              message:
                'The form could not be checked: the server could not be reached. What you typed is kept: try again when the connection is back.',
            },
          },
        },
      };
    }
    return resolver(values, context, options);
  };
}
