import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { flushSync } from 'react-dom';
import { createBrowserRouter, createMemoryRouter, RouterProvider } from 'react-router';
import type { CallApiClient } from '../../contract/client.ts';
import { CallApiClientProvider, createDeskApiClient } from '../calls/api/api-client-context.tsx';
import {
  ActingAgentProvider,
  createActingAgentStore,
  type ActingAgentStore,
} from './acting-agent.tsx';
import { createDeskEvents, DeskEventsProvider, type DeskEvents } from './desk-events.tsx';
import { DeskErrorBoundary, ErrorPanel } from './error-boundaries.tsx';
import { NotificationsProvider } from './notifications.tsx';
import { createDeskQueryClient } from './query-client.ts';
import { deskRoutes } from './routes.tsx';
import { deskTheme } from './theme.ts';

// Everything one running desk is made of, created together and handed out, so that the
// entry point, the tests and a later embedding bridge (postMessage from a CRM host) all
// drive the same objects: dial a number, open a call, set the acting agent.

export type DeskRouter = ReturnType<typeof createBrowserRouter>;

export interface DialRequest {
  end_user_number?: string;
  ticket_id?: string;
  agent_email?: string;
  outbound_number?: string;
  lang?: string;
  /** Place the call at once instead of leaving the prefilled form for the agent. */
  createNow?: boolean;
}

export interface DeskController {
  /** Opens the outbound form prefilled with the request (and places the call if asked). */
  dial(request: DialRequest): Promise<void>;
  openCall(id: number): Promise<void>;
  setAgent(email: string): void;
}

export interface Desk {
  client: CallApiClient;
  queryClient: QueryClient;
  router: DeskRouter;
  agent: ActingAgentStore;
  controller: DeskController;
  /** What happened at the desk (calls created, flags changed), for the bridge and other tabs. */
  events: DeskEvents;
}

export interface DeskOptions {
  /** Where the desk's server answers, '/desk/api' by default. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  /** In-memory history starting at these paths (tests); browser history otherwise. */
  initialEntries?: string[];
  actingAgent?: string;
}

export function dialPath(request: DialRequest): string {
  const params = new URLSearchParams();
  for (const key of [
    'end_user_number',
    'ticket_id',
    'agent_email',
    'outbound_number',
    'lang',
  ] as const) {
    const value = request[key];
    if (value) params.set(key, value);
  }
  if (request.createNow) params.set('create', '1');
  const query = params.toString();
  return `/calls/new/outbound${query ? `?${query}` : ''}`;
}

export function createDesk(options: DeskOptions = {}): Desk {
  const client = createDeskApiClient(options.apiBaseUrl ?? '/desk/api', options.fetch);
  const queryClient = createDeskQueryClient();
  const agent = createActingAgentStore(options.actingAgent);
  const router = options.initialEntries
    ? createMemoryRouter(deskRoutes, { initialEntries: options.initialEntries })
    : createBrowserRouter(deskRoutes);
  let dials = 0;
  const controller: DeskController = {
    async dial(request) {
      if (request.agent_email) agent.set(request.agent_email);
      // `dial` marks a new request: the form starts again from it, even when it is open already.
      const path = dialPath(request);
      await router.navigate(`${path}${path.includes('?') ? '&' : '?'}dial=${++dials}`);
    },
    async openCall(id) {
      await router.navigate(`/calls/${id}`);
    },
    setAgent(email) {
      agent.set(email);
    },
  };
  return { client, queryClient, router, agent, controller, events: createDeskEvents() };
}

/**
 * What `react-router/dom`'s provider passes itself (under Vitest that entry loads a second
 * copy of the router): without it, navigate(..., { flushSync: true }) is a transition.
 */
function flushRouterUpdate(update: () => unknown): undefined {
  flushSync(update);
}

export function DeskApp({ desk }: { desk: Desk }) {
  return (
    <ThemeProvider theme={deskTheme}>
      <CssBaseline enableColorScheme />
      <DeskErrorBoundary
        fallback={(error, reset) => (
          <ErrorPanel title="The desk stopped" error={error} onRetry={reset} />
        )}
      >
        <CallApiClientProvider client={desk.client}>
          <QueryClientProvider client={desk.queryClient}>
            <ActingAgentProvider store={desk.agent}>
              <DeskEventsProvider events={desk.events}>
                <NotificationsProvider>
                  <RouterProvider router={desk.router} flushSync={flushRouterUpdate} />
                </NotificationsProvider>
              </DeskEventsProvider>
            </ActingAgentProvider>
          </QueryClientProvider>
        </CallApiClientProvider>
      </DeskErrorBoundary>
    </ThemeProvider>
  );
}
