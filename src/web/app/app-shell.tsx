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
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Outlet, useLocation, useNavigation } from 'react-router';
import { useQueuedCallWatch } from '../calls/call-list/queued-call-watch.ts';
import { useCallApiClient } from '../desk/api-client.tsx';
import { useUnseenCalls } from '../desk/attention.ts';
import { OfflineBanner } from '../desk/offline-banner.tsx';
import { PageFocusProvider } from '../desk/page-focus.tsx';
import { sessionQueries } from '../desk/session-queries.ts';
import { useFramed } from '../embed/embed-context.tsx';
import { ActingAgentPicker } from './acting-agent-picker.tsx';
import { LanguagePicker, NotificationsToggle, ThemePicker } from './desk-settings.tsx';

export function AppShell() {
  const client = useCallApiClient();
  const intl = useIntl();
  const session = useQuery(sessionQueries.session(client));
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const onList = pathname === '/calls' || pathname === '/calls/';
  const onNew = pathname.startsWith('/calls/new');
  const unseen = useUnseenCalls();
  useQueuedCallWatch();
  // In a CRM's frame every pixel counts: the bar scrolls away, and the frame's own title
  // names the desk.
  const framed = useFramed();
  // On a narrow screen the agent's settings fold behind one button, so the page's own
  // header stays in the first screen.
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <PageFocusProvider>
      <Box sx={{ minHeight: '100vh', bgcolor: 'background.default', overflowX: 'hidden' }}>
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
            {session.data?.mode === 'emulator' && (
              <Chip
                size="small"
                color="warning"
                variant="outlined"
                label={intl.formatMessage({ id: 'shell.emulator', defaultMessage: 'Emulator' })}
              />
            )}
            <Box sx={{ flexGrow: 1 }} />
            <IconButton
              aria-label={intl.formatMessage({ id: 'shell.settings', defaultMessage: 'Settings' })}
              aria-expanded={settingsOpen}
              aria-controls="desk-settings"
              onClick={() => setSettingsOpen((open) => !open)}
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
              <ActingAgentPicker />
              <LanguagePicker />
              <ThemePicker />
              <NotificationsToggle />
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
        <Container
          component="main"
          id="main"
          tabIndex={-1}
          maxWidth="lg"
          sx={{ py: 2, px: { xs: 1, sm: 2 } }}
        >
          <Outlet />
        </Container>
      </Box>
    </PageFocusProvider>
  );
}
