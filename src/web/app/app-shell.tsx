import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigation } from 'react-router';
import { useCallApiClient } from '../desk/api-client.tsx';
import { sessionQueries } from '../desk/session-queries.ts';
import { useFramed } from '../embed/embed-context.tsx';
import { ActingAgentPicker } from './acting-agent-picker.tsx';
import { OfflineBanner } from '../desk/offline-banner.tsx';
import { LiveBanner, LiveIndicator } from '../desk/live-banner.tsx';

export function AppShell() {
  const client = useCallApiClient();
  const session = useQuery(sessionQueries.session(client));
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const onList = pathname === '/calls' || pathname === '/calls/';
  const onNew = pathname.startsWith('/calls/new');
  // In a CRM's frame every pixel counts: the bar scrolls away, and the frame's own title
  // names the desk.
  const framed = useFramed();
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default', overflowX: 'hidden' }}>
      <Link
        href="#main"
        sx={{
          position: 'absolute',
          left: -10000,
          '&:focus': { left: 8, top: 8, zIndex: 2000, bgcolor: 'background.paper', p: 1 },
        }}
      >
        Skip to content
      </Link>
      <AppBar position={framed ? 'static' : 'sticky'} color="default" elevation={1}>
        <Toolbar sx={{ flexWrap: 'wrap', gap: 1, py: { xs: 1, sm: 0.5 } }}>
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
          <Box component="nav" aria-label="Main" sx={{ display: 'flex', gap: 0.5 }}>
            <Button
              href="/calls"
              aria-current={onList ? 'page' : undefined}
              variant={onList ? 'outlined' : 'text'}
            >
              Calls
            </Button>
            <Button
              href="/calls/new"
              aria-current={onNew ? 'page' : undefined}
              variant={onNew ? 'outlined' : 'text'}
            >
              New call
            </Button>
          </Box>
          {session.data?.mode === 'emulator' && (
            <Chip size="small" color="warning" variant="outlined" label="Emulator" />
          )}
          <LiveIndicator />
          <Box sx={{ flexGrow: 1 }} />
          <ActingAgentPicker />
        </Toolbar>
        {navigation.state === 'loading' && (
          <LinearProgress
            aria-label="Loading page"
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
        <Outlet />
      </Container>
    </Box>
  );
}
