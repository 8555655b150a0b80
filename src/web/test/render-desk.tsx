import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach } from 'vitest';
import { startDeskServer, type DeskTestServer } from './desk-server.ts';
import { createDesk, DeskApp, type Desk } from '../app/create-desk.tsx';
import type { DeskLocale } from '../desk/locale.tsx';

// Component tests render the whole desk against the real server, in-process on a random
// loopback port with its own temporary database: no mocks of our API.

// The first render of a page loads its chunk and the API client on demand: allow for it.
configure({ asyncUtilTimeout: 5_000 });

// jsdom lacks what MUI and the desk read from the browser.
if (typeof window !== 'undefined') {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  window.scrollTo = () => {};
  afterEach(() => {
    cleanup();
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch {
      // storage unavailable
    }
  });
}

export { startDeskServer, type DeskTestServer };

export interface RenderedDesk {
  desk: Desk;
  user: ReturnType<typeof userEvent.setup>;
  unmount(): void;
}

/** Renders the whole desk at `path`, signed in as `agent` (the admin unless said). */
export async function renderDesk(
  server: Pick<DeskTestServer, 'baseUrl' | 'sessions'>,
  path: string,
  options: { agent?: string; waitForSession?: boolean; locale?: DeskLocale } = {},
): Promise<RenderedDesk> {
  const agent = options.agent ?? 'admin@somedomain.com';
  const token = server.sessions[agent];
  if (!token) throw new Error(`no session for ${agent}`);
  const desk = createDesk({
    apiBaseUrl: `${server.baseUrl}/desk/api`,
    initialEntries: [path],
    sessionToken: token,
    locale: options.locale ?? 'en',
  });
  // Awaited, so that what the first render starts (a deferred part of a page, a chunk it
  // suspends on) is carried out as a browser would, not left queued in act's scope.
  let unmount!: () => void;
  await act(async () => {
    unmount = render(<DeskApp desk={desk} />).unmount;
  });
  // As an agent would, start once the desk shows who is signed in (unless the test is about
  // a desk that cannot know).
  if (options.waitForSession !== false) {
    await screen.findByRole('button', {
      name: options.locale === 'es' ? 'Cerrar sesión' : 'Sign out',
    });
  }
  return { desk, user: userEvent.setup(), unmount };
}

/** The helper text under the input labelled `label`: where the desk puts a field's error. */
export function helperTextOf(label: string | RegExp): string {
  const input = screen.getByLabelText(label);
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}

export async function waitForHelperText(
  label: string | RegExp,
  text: string | RegExp,
): Promise<void> {
  await waitFor(() => {
    const helper = helperTextOf(label);
    if (typeof text === 'string' ? !helper.includes(text) : !text.test(helper)) {
      throw new Error(`"${String(label)}" says "${helper}", not "${String(text)}"`);
    }
  });
}

export { screen, waitFor, within };
