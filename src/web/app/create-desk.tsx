import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { flushSync } from 'react-dom';
import { useIntl } from 'react-intl';
import { createBrowserRouter, createMemoryRouter, RouterProvider } from 'react-router';
import type { CallApiClient } from '../../contract/client.ts';
import { CallApiClientProvider, createDeskApiClient } from '../desk/api-client.tsx';
import { createDeskAuth, DeskAuthProvider, type DeskAuth } from '../desk/auth.tsx';
import { trackFeedPosition } from '../desk/live-status.ts';
import { dialPath, type DeskController } from '../desk/desk-controller.ts';
import { PagePreloadProvider } from '../desk/page-preload.tsx';
import { createDeskEvents, DeskEventsProvider, type DeskEvents } from '../desk/desk-events.tsx';
import { DeskErrorBoundary, ErrorPanel } from '../desk/error-boundaries.tsx';
import { initialLocale, loadCatalogue, LocaleProvider, type DeskLocale } from '../desk/locale.tsx';
import { NotificationsProvider } from '../desk/notifications.tsx';
import { createDeskQueryClient } from './query-client.ts';
import { preloadPage } from './page-chunks.ts';
import { deskRoutes } from './routes.tsx';
import { deskTheme } from './theme.ts';

// Everything one running desk is made of, created together and handed out, so that the
// entry point, the tests and the embedding bridge (postMessage from a CRM host) all drive
// the same objects: dial a number, open a call. This is the root:
// it composes the kit (desk/), the features and the routes, and nothing imports it but
// the entry point and the tests that render the whole desk.

type DeskRouter = ReturnType<typeof createBrowserRouter>;

export interface Desk {
  client: CallApiClient;
  queryClient: QueryClient;
  router: DeskRouter;
  /** Sign-in and sign-out, and the session's token where a frame holds it in memory. */
  auth: DeskAuth;
  controller: DeskController;
  /** What happened at the desk (calls created, flags changed), for the bridge and other tabs. */
  events: DeskEvents;
  /** The language the desk starts in. */
  locale: DeskLocale;
}

export interface DeskOptions {
  /** Where the desk's server answers, '/desk/api' by default. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  /** In-memory history starting at these paths (tests); browser history otherwise. */
  initialEntries?: string[];
  /** A session token to start with (tests sign in over HTTP and hand it over). */
  sessionToken?: string;
  /** The language to start in; the stored choice or the browser's otherwise. */
  locale?: DeskLocale;
}

export function createDesk(options: DeskOptions = {}): Desk {
  const apiBaseUrl = options.apiBaseUrl ?? '/desk/api';
  const auth = createDeskAuth({
    apiBaseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sessionToken ? { token: options.sessionToken } : {}),
  });
  const client = createDeskApiClient(apiBaseUrl, trackFeedPosition(auth.fetch));
  const queryClient = createDeskQueryClient();
  const router = options.initialEntries
    ? createMemoryRouter(deskRoutes, { initialEntries: options.initialEntries })
    : createBrowserRouter(deskRoutes);
  let dials = 0;
  const controller: DeskController = {
    async dial(request) {
      // `dial` marks a new request: the form starts again from it, even when it is open already.
      const path = dialPath(request);
      await router.navigate(`${path}${path.includes('?') ? '&' : '?'}dial=${++dials}`);
    },
    async openCall(id) {
      await router.navigate(`/calls/${id}`);
    },
  };
  const locale = options.locale ?? initialLocale();
  // Its catalogue is asked for now, with the page's code, not once the tree renders.
  void loadCatalogue(locale);
  return { client, queryClient, router, auth, controller, events: createDeskEvents(), locale };
}

/**
 * What `react-router/dom`'s provider passes itself (under Vitest that entry loads a second
 * copy of the router): without it, navigate(..., { flushSync: true }) is a transition.
 */
function flushRouterUpdate(update: () => unknown): undefined {
  flushSync(update);
}

function DeskStopped({ error, reset }: { error: unknown; reset: () => void }) {
  const intl = useIntl();
  return (
    <ErrorPanel
      title={intl.formatMessage({ id: 'error.deskStopped', defaultMessage: 'The desk stopped' })}
      error={error}
      onRetry={reset}
    />
  );
}

export function DeskApp({ desk }: { desk: Desk }) {
  return (
    <ThemeProvider theme={deskTheme} defaultMode="system">
      <CssBaseline enableColorScheme />
      {/* Nothing shows until the agent's language is there (English is at once). */}
      <Suspense fallback={null}>
        <LocaleProvider initial={desk.locale}>
          <DeskErrorBoundary
            fallback={(error, reset) => <DeskStopped error={error} reset={reset} />}
          >
            <CallApiClientProvider client={desk.client}>
              <QueryClientProvider client={desk.queryClient}>
                <DeskAuthProvider auth={desk.auth}>
                  <DeskEventsProvider events={desk.events}>
                    <NotificationsProvider>
                      <PagePreloadProvider preload={preloadPage}>
                        <RouterProvider router={desk.router} flushSync={flushRouterUpdate} />
                      </PagePreloadProvider>
                    </NotificationsProvider>
                  </DeskEventsProvider>
                </DeskAuthProvider>
              </QueryClientProvider>
            </CallApiClientProvider>
          </DeskErrorBoundary>
        </LocaleProvider>
      </Suspense>
    </ThemeProvider>
  );
}
