import SettingsIcon from '@mui/icons-material/Settings';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Navigate, Outlet, useLocation, useNavigation, useSearchParams } from 'react-router';
import { useQueuedCallWatch } from '../calls/call-list/queued-call-watch.ts';
import { useCallApiClient } from '../desk/api-client.tsx';
import { useUnseenCalls } from '../desk/attention.ts';
import { useDeskAuth } from '../desk/auth.tsx';
import { useDeskEvents } from '../desk/desk-events.tsx';
import { OfflineBanner } from '../desk/offline-banner.tsx';
import { LiveBanner, LiveIndicator } from '../desk/live-banner.tsx';
import { PageFocusProvider } from '../desk/page-focus.tsx';
import { sessionQueries } from '../desk/session-queries.ts';
import { useFramed } from '../embed/embed-context.tsx';
import { isCallApiError } from '../lib/api-error.ts';
import { LanguagePicker, NotificationsToggle, ThemePicker } from './desk-settings.tsx';

/** A path of the desk to go back to after sign-in; anything else is the call list. */
function returnPath(value: string | null): string {
  return value && /^\/(?![/\\])/.test(value) && value !== '/sign-in' ? value : '/calls';
}

// Only a desk nobody is signed in to shows it: not in every page's first load.
const SignInPage = lazy(async () => ({
  default: (await import('../desk/sign-in-page.tsx')).SignInPage,
}));

/** Pages that work without anybody signed in: the integrator's diagnostics. */
const OPEN_PAGES = ['/embed/check'];

/**
 * Tells the desk's listeners (the host page) when a session starts and when it ends, and
 * answers whether one ended while this desk was open.
 */
function useSessionEvents(
  email: string | undefined,
  name: string | undefined,
  signedOut: boolean,
): boolean {
  const events = useDeskEvents();
  const known = useRef<string | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (email && known.current !== email) {
      known.current = email;
      setEnded(false);
      events.emit({ type: 'session.started', agent_email: email, agent_name: name ?? email });
    } else if (!email && known.current) {
      known.current = undefined;
      setEnded(true);
      events.emit({ type: 'session.ended', reason: signedOut ? 'signed_out' : 'expired' });
    }
  }, [email, name, signedOut, events]);
  return ended;
}

function AccountMenu({
  name,
  email,
  onSignedOut,
}: {
  name: string;
  email: string;
  onSignedOut(): void;
}) {
  const auth = useDeskAuth();
  const [busy, setBusy] = useState(false);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
      <Box sx={{ minWidth: 0, textAlign: 'right' }}>
        <Typography variant="body2" noWrap title={email}>
          {name}
        </Typography>
        <Typography variant="caption" color="text.secondary" noWrap component="div">
          {email}
        </Typography>
      </Box>
      <Button
        size="small"
        variant="outlined"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await auth.signOut();
          } finally {
            setBusy(false);
            onSignedOut();
          }
        }}
      >
        <FormattedMessage id="shell.signOut" defaultMessage="Sign out" />
      </Button>
    </Box>
  );
}

/** The watch for new queued calls runs only for a signed-in agent. */
function QueuedCallWatch() {
  useQueuedCallWatch();
  return null;
}

export function AppShell() {
  const client = useCallApiClient();
  const intl = useIntl();
  const queryClient = useQueryClient();
  const session = useQuery(sessionQueries.session(client));
  const [signedOut, setSignedOut] = useState(false);
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { pathname, search } = useLocation();
  const unauthenticated = isCallApiError(session.error) && session.error.status === 401;
  const agent = unauthenticated ? undefined : session.data?.agent;
  const ended = useSessionEvents(agent?.email, agent?.name, signedOut);
  const open = OPEN_PAGES.includes(pathname);
  const onSignInPage = pathname === '/sign-in';
  const onList = pathname === '/calls' || pathname === '/calls/';
  const onNew = pathname.startsWith('/calls/new');
  const unseen = useUnseenCalls();
  // In a CRM's frame every pixel counts: the bar scrolls away, and the frame's own title
  // names the desk.
  const framed = useFramed();
  // On a narrow screen the agent's settings fold behind one button, so the page's own
  // header stays in the first screen.
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <PageFocusProvider>
      <Box sx={{ minHeight: '100vh', bgcolor: 'background.default', overflowX: 'hidden' }}>
        {agent && <QueuedCallWatch />}
        <Link
          href="#main"
          sx={{
            position: 'absolute',
            left: -10000,
            '&:focus': { left: 8, top: 8, zIndex: 2000, bgcolor: 'background.paper', p: 1 },
          }}
        >
          <FormattedMessage id="shell.skip" defaultMessage="Skip to content" />
        </Link>
        <AppBar position={framed ? 'static' : 'sticky'} color="default" elevation={1}>
          <Toolbar
            variant="dense"
            sx={{ flexWrap: 'wrap', columnGap: 1, rowGap: 0.5, py: 0.5, minHeight: 48 }}
          >
            <Typography
              variant="h6"
              component="span"
              sx={{
                mr: 1,
                fontWeight: 600,
                display: framed ? { xs: 'none', sm: 'inline' } : undefined,
              }}
            >
              Switchboard
            </Typography>
            <Box
              component="nav"
              aria-label={intl.formatMessage({ id: 'shell.nav', defaultMessage: 'Main' })}
              sx={{ display: 'flex', gap: 0.5 }}
            >
              <Button
                href="/calls"
                aria-current={onList ? 'page' : undefined}
                variant={onList ? 'outlined' : 'text'}
              >
                <FormattedMessage id="nav.calls" defaultMessage="Calls" />
                {unseen.length > 0 && (
                  <Chip
                    component="span"
                    size="small"
                    color="info"
                    label={unseen.length}
                    aria-label={intl.formatMessage(
                      {
                        id: 'shell.newCalls',
                        defaultMessage: '{count, plural, one {# new call} other {# new calls}}',
                      },
                      { count: unseen.length },
                    )}
                    sx={{ ml: 0.75, height: 20 }}
                  />
                )}
              </Button>
              <Button
                href="/calls/new"
                aria-current={onNew ? 'page' : undefined}
                variant={onNew ? 'outlined' : 'text'}
              >
                <FormattedMessage id="nav.newCall" defaultMessage="New call" />
              </Button>
            </Box>
            {session.data?.capabilities.simulate && (
              <Chip
                size="small"
                color="warning"
                variant="outlined"
                label={intl.formatMessage({ id: 'shell.emulator', defaultMessage: 'Emulator' })}
              />
            )}
            <LiveIndicator />
            <Box sx={{ flexGrow: 1 }} />
            {agent && (
              <AccountMenu
                name={agent.name}
                email={agent.email}
                onSignedOut={() => {
                  setSignedOut(true);
                  // Nothing of the agent's stays in this tab once signed out.
                  queryClient.removeQueries({
                    predicate: (q) => q.queryKey[0] !== 'embed-settings',
                  });
                  void queryClient.invalidateQueries({ queryKey: ['session'] });
                }}
              />
            )}
            <IconButton
              aria-label={intl.formatMessage({ id: 'shell.settings', defaultMessage: 'Settings' })}
              aria-expanded={settingsOpen}
              aria-controls="desk-settings"
              onClick={() => setSettingsOpen((isOpen) => !isOpen)}
              sx={{ display: { xs: 'inline-flex', md: 'none' } }}
            >
              <SettingsIcon />
            </IconButton>
            <Box
              id="desk-settings"
              role="group"
              aria-label={intl.formatMessage({ id: 'shell.settings', defaultMessage: 'Settings' })}
              sx={{
                display: { xs: settingsOpen ? 'flex' : 'none', md: 'flex' },
                flexBasis: { xs: '100%', md: 'auto' },
                flexWrap: 'wrap',
                alignItems: 'center',
                gap: 1,
                py: { xs: 0.5, md: 0 },
              }}
            >
              <LanguagePicker />
              <ThemePicker />
              {agent && <NotificationsToggle />}
            </Box>
          </Toolbar>
          {navigation.state === 'loading' && (
            <LinearProgress
              aria-label={intl.formatMessage({
                id: 'shell.loadingPage',
                defaultMessage: 'Loading page',
              })}
              sx={{ position: 'absolute', bottom: 0, left: 0, right: 0 }}
            />
          )}
        </AppBar>
        <OfflineBanner />
        <LiveBanner />
        <Container
          component="main"
          id="main"
          tabIndex={-1}
          maxWidth="lg"
          sx={{ py: 2, px: { xs: 1, sm: 2 } }}
        >
          {open ? (
            <Outlet />
          ) : agent && onSignInPage ? (
            <Navigate to={returnPath(searchParams.get('return_to'))} replace />
          ) : unauthenticated || onSignInPage ? (
            <Suspense fallback={null}>
              <SignInPage
                framed={framed}
                returnTo={
                  onSignInPage ? returnPath(searchParams.get('return_to')) : `${pathname}${search}`
                }
                error={onSignInPage ? searchParams.get('error') : null}
                ended={ended}
              />
            </Suspense>
          ) : (
            // Signed in, or not known yet (the page paints at once and the agent's details
            // arrive with the session), or the server is out of reach (each page says so).
            <Outlet />
          )}
        </Container>
      </Box>
    </PageFocusProvider>
  );
}
