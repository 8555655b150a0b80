import { redirect, type RouteObject } from 'react-router';
import { AppShell } from './app-shell.tsx';
import { RouteErrorBoundary } from './error-boundaries.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { PageSkeleton } from './page-skeleton.tsx';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.

const loadCallDetail = () => import('../calls/call-detail/call-detail-page.tsx');

/** Runs `task` when the browser is idle; where it cannot say (jsdom), not at all. */
function whenIdle(task: () => unknown): void {
  if (typeof window.requestIdleCallback === 'function') {
    window.requestIdleCallback(() => void task(), { timeout: 2_000 });
  }
}

export const deskRoutes: RouteObject[] = [
  {
    path: '/',
    Component: AppShell,
    HydrateFallback: PageSkeleton,
    ErrorBoundary: RouteErrorBoundary,
    children: [
      { index: true, loader: () => redirect('/calls') },
      {
        path: 'calls',
        ErrorBoundary: RouteErrorBoundary,
        lazy: async () => ({
          Component: (await import('../calls/call-list/call-list-page.tsx')).CallListPage,
        }),
      },
      {
        path: 'calls/new/:callType?',
        ErrorBoundary: RouteErrorBoundary,
        lazy: async () => {
          const { NewCallPage } = await import('../calls/new-call/new-call-page.tsx');
          // Create call leads to the call's page: fetch its code while the agent fills in the
          // form, not after the click (it would add a round trip to every call placed).
          whenIdle(loadCallDetail);
          return { Component: NewCallPage };
        },
      },
      {
        path: 'calls/:id',
        ErrorBoundary: RouteErrorBoundary,
        lazy: async () => ({ Component: (await loadCallDetail()).CallDetailPage }),
      },
      {
        // Diagnostics for integrators: open it inside the CRM's iframe (docs/embedding.md).
        path: 'embed/check',
        ErrorBoundary: RouteErrorBoundary,
        lazy: async () => ({
          Component: (await import('../embed/embed-check-page.tsx')).EmbedCheckPage,
        }),
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
];
