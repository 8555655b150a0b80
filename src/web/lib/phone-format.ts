import { useEffect, useSyncExternalStore } from 'react';
import { afterPaintWhenIdle } from './idle.ts';

// One way to write a phone number everywhere in the desk: international, grouped the way
// the number's country groups it ("+1 859 657 9625"), by libphonenumber. Its metadata is
// too heavy for a page's first load, so it comes just after: until then a number shows as
// the server wrote it, and every component showing one renders again once it is there.

type Formatter = (number: string) => string;

let formatter: Formatter | undefined;
let loading: Promise<Formatter> | undefined;
const listeners = new Set<() => void>();

const asItCame: Formatter = (number) => number;

export function loadPhoneFormat(): Promise<Formatter> {
  loading ??= import('libphonenumber-js/min').then(
    ({ parsePhoneNumberFromString }) => {
      const cache = new Map<string, string>();
      formatter = (number) => {
        const text = number.trim();
        let formatted = cache.get(text);
        if (formatted === undefined) {
          const parsed = text.startsWith('+') ? parsePhoneNumberFromString(text) : undefined;
          formatted = parsed?.isPossible() ? parsed.formatInternational() : text;
          if (cache.size > 2_000) cache.clear();
          cache.set(text, formatted);
        }
        return formatted;
      };
      for (const listener of [...listeners]) listener();
      return formatter;
    },
    (error: unknown) => {
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

/** Formats a number; the number as it came until libphonenumber has loaded. */
export function usePhoneFormat(): Formatter {
  const current = useSyncExternalStore(
    subscribe,
    () => formatter,
    () => formatter,
  );
  return current ?? asItCame;
}

/** Asks for libphonenumber once a number is on screen (after that paint, when idle). */
export function useLoadPhoneFormat(): void {
  useEffect(() => {
    // After the paint that shows the numbers: not part of the page's first load.
    if (!formatter) return afterPaintWhenIdle(() => void loadPhoneFormat().catch(() => {}));
  }, []);
}
