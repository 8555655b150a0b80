import { Suspense, use } from 'react';
import { redirect, type RouteObject } from 'react-router';
import { afterPaintWhenIdle } from '../lib/idle.ts';
import { AppShell } from './app-shell.tsx';
import { RouteErrorBoundary } from '../desk/error-boundaries.tsx';
import { NotFoundPage } from '../desk/not-found-page.tsx';
import { loadCallDetail } from './page-chunks.ts';
import { PageSkeleton } from '../desk/page-skeleton.tsx';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.

/**
 * The call page is where Create call leads, so its route is not a lazy one: the router
 * would first render a "loading" state (the shell and the form again) and then the page
 * in a transition. Its code is fetched once the form has painted (or the list its rows), and the
 * page renders in the one synchronous render of the navigation.
 */
function CallDetailRoute() {
  return (
    <Suspense fallback={<PageSkeleton label="Loading call" />}>
      <LoadedCallDetailPage />
    </Suspense>
  );
}

function LoadedCallDetailPage() {
  const { CallDetailPage } = use(loadCallDetail());
  return <CallDetailPage />;
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
        // A row opens the call's page: the list fetches its code once its rows are shown.
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
          afterPaintWhenIdle(() => void loadCallDetail());
          return { Component: NewCallPage };
        },
      },
      {
        path: 'calls/:id',
        ErrorBoundary: RouteErrorBoundary,
        Component: CallDetailRoute,
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
