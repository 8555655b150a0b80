import { Suspense, use, type ReactPromise } from 'react';
import { redirect, type RouteObject } from 'react-router';
import { afterPaintWhenIdle } from '../lib/idle.ts';
import { AppShell } from './app-shell.tsx';
import { RouteErrorBoundary } from './error-boundaries.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { PageSkeleton } from './page-skeleton.tsx';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.

/**
 * A chunk loaded once and marked when it is there (the convention React's `use` reads), so a
 * page rendered after it has loaded renders at once, without suspending.
 */
function chunk<T>(load: () => Promise<T>): () => ReactPromise<T> {
  let loaded: ReactPromise<T> | undefined;
  return () => {
    if (!loaded) {
      const promise = load();
      promise.then(
        (value) => {
          loaded = Object.assign(promise, { status: 'fulfilled' as const, value });
        },
        () => {
          // Not there (offline, a new deploy): the next render asks again.
          if (loaded === promise) loaded = undefined;
        },
      );
      loaded = promise;
    }
    return loaded;
  };
}

const loadCallDetail = chunk(() => import('../calls/call-detail/call-detail-page.tsx'));

/**
 * The call page is where Create call leads, so its route is not a lazy one: the router
 * would first render a "loading" state (the shell and the form again) and then the page
 * in a transition. Its code is fetched once the form (or the list) has painted, and the
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
        lazy: async () => {
          const { CallListPage } = await import('../calls/call-list/call-list-page.tsx');
          // A row opens the call's page: its code comes once the list has painted.
          afterPaintWhenIdle(() => void loadCallDetail());
          return { Component: CallListPage };
        },
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
