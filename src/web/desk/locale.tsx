import {
  createContext,
  startTransition,
  use,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { IntlProvider, type MessageFormatElement } from 'react-intl';
import { readStored, writeStored } from '../lib/storage.ts';

// The desk's languages. Every visible text is a message with its English words in the code
// (the default message); each other language has a catalogue of its own
// (messages/<locale>.json), loaded only when that language is chosen, parsed at build time.
// The locale comes from the browser, can be switched in the app bar, and is remembered.

export const DESK_LOCALES = ['en', 'es'] as const;
export type DeskLocale = (typeof DESK_LOCALES)[number];
const DEFAULT_LOCALE: DeskLocale = 'en';

const STORAGE_KEY = 'switchboard:locale';

type Catalogue = Record<string, MessageFormatElement[]>;

function isDeskLocale(value: unknown): value is DeskLocale {
  return typeof value === 'string' && (DESK_LOCALES as readonly string[]).includes(value);
}

/** The stored choice, else the first of the browser's languages the desk speaks, else English. */
function pickLocale(
  stored: string | null,
  browserLanguages: readonly string[] = typeof navigator === 'undefined'
    ? []
    : (navigator.languages ?? [navigator.language]),
): DeskLocale {
  if (isDeskLocale(stored)) return stored;
  for (const tag of browserLanguages) {
    const language = String(tag).toLowerCase().split('-')[0];
    if (isDeskLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}

/** The locale the desk starts in. */
export function initialLocale(): DeskLocale {
  return pickLocale(readStored('local', STORAGE_KEY));
}

const english = Object.assign(Promise.resolve({} as Catalogue), {
  status: 'fulfilled' as const,
  value: {} as Catalogue,
});
const loads = new Map<DeskLocale, Promise<Catalogue>>([['en', english]]);

/**
 * A locale's catalogue, fetched once and marked when it is there (the convention React's
 * `use` reads), so that a render after it has loaded does not suspend.
 */
export function loadCatalogue(locale: DeskLocale): Promise<Catalogue> {
  let load = loads.get(locale);
  if (!load) {
    const promise: Promise<Catalogue> = import(`./messages/${locale}.json`).then(
      (module: { default: Catalogue }) => module.default,
    );
    load = promise;
    loads.set(locale, promise);
    promise.then(
      (value) => Object.assign(promise, { status: 'fulfilled', value }),
      () => {
        // Offline, a new deploy: the next choice asks again.
        if (loads.get(locale) === promise) loads.delete(locale);
      },
    );
  }
  return load;
}

interface LocaleState {
  locale: DeskLocale;
  /** Switches the desk's language (after its catalogue has loaded), and remembers it. */
  setLocale(locale: DeskLocale): void;
  /** True while a newly chosen language's catalogue is on its way. */
  switching: boolean;
}

const LocaleContext = createContext<LocaleState>({
  locale: DEFAULT_LOCALE,
  setLocale: () => {},
  switching: false,
});

export function LocaleProvider({
  initial = DEFAULT_LOCALE,
  children,
}: {
  initial?: DeskLocale;
  children: ReactNode;
}) {
  const [locale, setCurrent] = useState<DeskLocale>(initial);
  const [switching, setSwitching] = useState(false);
  // The first render waits for the catalogue (a suspense boundary above shows nothing
  // meanwhile): no English flashes before the agent's language.
  const messages = use(loadCatalogue(locale));

  const setLocale = useCallback((next: DeskLocale) => {
    writeStored('local', STORAGE_KEY, next);
    setSwitching(true);
    loadCatalogue(next).then(
      () =>
        startTransition(() => {
          setCurrent(next);
          setSwitching(false);
        }),
      () => setSwitching(false),
    );
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const state = useMemo(() => ({ locale, setLocale, switching }), [locale, setLocale, switching]);
  return (
    <LocaleContext value={state}>
      <IntlProvider
        locale={locale}
        defaultLocale={DEFAULT_LOCALE}
        messages={messages}
        onError={reportMissing}
      >
        {children}
      </IntlProvider>
    </LocaleContext>
  );
}

function reportMissing(error: { code?: string; message: string }) {
  // English is the default messages themselves; a missing translation shows in English.
  if (error.code === 'MISSING_TRANSLATION') {
    if (import.meta.env.DEV) console.warn(`[switchboard] ${error.message}`);
    return;
  }
  console.error('[switchboard]', error);
}

export function useDeskLocale(): LocaleState {
  return useContext(LocaleContext);
}
