import Box from '@mui/material/Box';
import { useEffect, useSyncExternalStore } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type * as WordsModule from './api-error-words.ts';

// An API error as the agent reads it: the desk's words (what happened, what to do) and,
// on a second line, the server's exact text for support. A text the desk does not know
// is shown as it came.
//
// The table of words is a chunk of its own (it is large, and most pages never show an
// error): it comes with the new-call form's checks, or the first time an error shows,
// which then shows the server's text for the moment it takes.

type Words = typeof WordsModule;
let words: Words | undefined;
let loading: Promise<Words> | undefined;
const listeners = new Set<() => void>();

export function loadApiErrorWords(): Promise<Words> {
  loading ??= import('./api-error-words.ts').then(
    (module) => {
      words = module;
      for (const listener of [...listeners]) listener();
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The words once loaded (asked for by the first component that needs them). */
function useApiErrorWords(): Words | undefined {
  const current = useSyncExternalStore(
    subscribe,
    () => words,
    () => words,
  );
  useEffect(() => {
    if (!words) void loadApiErrorWords().catch(() => {});
  }, []);
  return current;
}

/** The words already loaded, for text outside React (a notification's line). */
export function loadedApiErrorWords(): Words | undefined {
  return words;
}

export function ApiErrorText({ text, suffix }: { text: string; suffix?: string }) {
  const intl = useIntl();
  const worded = useApiErrorWords()?.wordsForApiError(text);
  const raw = suffix ? `${text} ${suffix}` : text;
  if (!worded) return <>{raw}</>;
  return (
    <>
      {intl.formatMessage(worded.descriptor, worded.values)}{' '}
      <Box
        component="span"
        data-raw-api-text=""
        sx={{ display: 'block', fontSize: '0.9em', mt: 0.25 }}
      >
        <FormattedMessage id="apiError.rawLabel" defaultMessage="The server said:" />{' '}
        <Box component="span" lang="en" sx={{ fontFamily: 'monospace' }}>
          {raw}
        </Box>
      </Box>
    </>
  );
}
