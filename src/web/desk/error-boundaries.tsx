import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useQueryClient } from '@tanstack/react-query';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { isRouteErrorResponse, useLocation, useNavigate, useRouteError } from 'react-router';
import { isCallApiError } from '../lib/api-error.ts';

// What went wrong, in words an agent can act on, and a way to try again.

export function describeError(error: unknown): string {
  if (isCallApiError(error)) {
    if (error.isNetworkError)
      return 'The server could not be reached. Check your connection and try again.';
    return `${error.message} (HTTP ${error.status})`;
  }
  if (isRouteErrorResponse(error)) return `${error.status} ${error.statusText}`;
  if (error instanceof Error) {
    // A chunk that failed to load after a deploy or while offline.
    if (
      /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(
        error.message,
      )
    ) {
      return 'Part of the desk could not be loaded. Check your connection and try again.';
    }
    return error.message;
  }
  return 'Something went wrong.';
}

export function ErrorPanel({
  title = 'Something went wrong',
  error,
  onRetry,
  children,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  return (
    <Box sx={{ p: 2 }}>
      <Alert
        severity="error"
        action={
          onRetry && (
            <Button color="inherit" size="small" onClick={onRetry}>
              Try again
            </Button>
          )
        }
      >
        <AlertTitle>{title}</AlertTitle>
        {describeError(error)}
        {children}
      </Alert>
    </Box>
  );
}

interface BoundaryProps {
  children: ReactNode;
  fallback: (error: unknown, reset: () => void) => ReactNode;
}

/** The root boundary: catches what nothing below caught, and can render the tree again. */
export class DeskErrorBoundary extends Component<
  BoundaryProps,
  { error: unknown; failed: boolean }
> {
  override state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Desk error', error, info.componentStack);
  }

  reset = () => this.setState({ error: null, failed: false });

  override render() {
    if (this.state.failed) return this.props.fallback(this.state.error, this.reset);
    return this.props.children;
  }
}

/** A route's boundary: the app bar stays, the page says what failed and retries in place. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const retry = () => {
    void queryClient.resetQueries({ predicate: (query) => query.state.status === 'error' });
    // A navigation to the same place clears the route's error and renders it again.
    void navigate(`${location.pathname}${location.search}`, { replace: true });
  };
  return (
    <Stack>
      <ErrorPanel title="This page could not be shown" error={error} onRetry={retry} />
    </Stack>
  );
}
