import { redirect, type RouteObject } from 'react-router';
import { AppShell } from './app-shell.tsx';
import { RouteErrorBoundary } from './error-boundaries.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { PageSkeleton } from './page-skeleton.tsx';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.
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
        lazy: async () => ({
          Component: (await import('../calls/new-call/new-call-page.tsx')).NewCallPage,
        }),
      },
      {
        path: 'calls/:id',
        ErrorBoundary: RouteErrorBoundary,
        lazy: async () => ({
          Component: (await import('../calls/call-detail/call-detail-page.tsx')).CallDetailPage,
        }),
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
