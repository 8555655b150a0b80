import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useQueryClient } from '@tanstack/react-query';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { defineMessages, useIntl, type IntlShape } from 'react-intl';
import { isRouteErrorResponse, useLocation, useNavigate, useRouteError } from 'react-router';
import { isCallApiError } from '../lib/api-error.ts';
import { ApiErrorText, loadedApiErrorWords } from './api-error-text.tsx';
import { PageHeading } from './page-focus.tsx';

// What went wrong, in words an agent can act on, and a way to try again.

const messages = defineMessages({
  unreachable: {
    id: 'error.unreachable',
    defaultMessage: 'The server could not be reached. Check your connection and try again.',
  },
  chunk: {
    id: 'error.chunk',
    defaultMessage: 'Part of the desk could not be loaded. Check your connection and try again.',
  },
  unknown: { id: 'error.unknown', defaultMessage: 'Something went wrong.' },
  title: { id: 'error.title', defaultMessage: 'Something went wrong' },
  retry: { id: 'error.retry', defaultMessage: 'Try again' },
  pageFailed: { id: 'error.pageFailed', defaultMessage: 'This page could not be shown' },
});

function isChunkFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(
      error.message,
    )
  );
}

/** What went wrong as one line of text (a notification, the host's `error`). */
export function describeError(error: unknown, intl: IntlShape): string {
  if (isCallApiError(error)) {
    if (error.isNetworkError) return intl.formatMessage(messages.unreachable);
    const worded = loadedApiErrorWords()?.wordsForApiError(error.message);
    const raw = `${error.message} (HTTP ${error.status})`;
    return worded ? `${intl.formatMessage(worded.descriptor, worded.values)} (${raw})` : raw;
  }
  if (isRouteErrorResponse(error)) return `${error.status} ${error.statusText}`;
  if (isChunkFailure(error)) return intl.formatMessage(messages.chunk);
  if (error instanceof Error) return error.message;
  return intl.formatMessage(messages.unknown);
}

/** What went wrong, with the server's own text on a second line where there is one. */
export function ErrorDescription({ error }: { error: unknown }) {
  const intl = useIntl();
  if (isCallApiError(error) && !error.isNetworkError) {
    return <ApiErrorText text={error.message} suffix={`(HTTP ${error.status})`} />;
  }
  return <>{describeError(error, intl)}</>;
}

export function ErrorPanel({
  title,
  heading = false,
  error,
  onRetry,
  action,
  children,
}: {
  title?: string;
  /** The panel is the page: its title is the page's heading. */
  heading?: boolean;
  error: unknown;
  onRetry?: () => void;
  /** Instead of Try again: where the agent can go from here. */
  action?: ReactNode;
  children?: ReactNode;
}) {
  const intl = useIntl();
  const text = title ?? intl.formatMessage(messages.title);
  return (
    <Box sx={{ p: heading ? 0 : 2, py: heading ? 1 : 2 }}>
      {heading && <PageHeading sx={{ mb: 1.5 }}>{text}</PageHeading>}
      <Alert
        severity="error"
        action={
          action ??
          (onRetry && (
            <Button color="inherit" size="small" onClick={onRetry}>
              {intl.formatMessage(messages.retry)}
            </Button>
          ))
        }
      >
        {!heading && <AlertTitle>{text}</AlertTitle>}
        <ErrorDescription error={error} />
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
  const intl = useIntl();
  const retry = () => {
    void queryClient.resetQueries({ predicate: (query) => query.state.status === 'error' });
    // A navigation to the same place clears the route's error and renders it again.
    void navigate(`${location.pathname}${location.search}`, { replace: true });
  };
  return (
    <Stack>
      <ErrorPanel
        heading
        title={intl.formatMessage(messages.pageFailed)}
        error={error}
        onRetry={retry}
      />
    </Stack>
  );
}
