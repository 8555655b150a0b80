import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { isTerminalStatus } from '../../../contract/call-constants.ts';
import { isCallApiError } from '../../lib/api-error.ts';
import { describeError, ErrorPanel } from '../../desk/error-boundaries.tsx';
import { PageSkeleton } from '../../desk/page-skeleton.tsx';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { callQueries } from '../api/call-queries.ts';
import { sessionQueries } from '../../desk/session-queries.ts';
import { callTypeLabel } from '../common/call-labels.ts';
import { StatusChip } from '../common/status-chip.tsx';
import { CallFacts, MediaList, ParticipantsList, TransfersList } from './call-sections.tsx';
import { CallTimeline } from './call-timeline.tsx';
import { CancelScheduledButton } from './cancel-scheduled-button.tsx';
import { CustomerFlagsPanel } from './customer-flags-panel.tsx';
import { SimulatePanel } from './simulate-panel.tsx';
import { Section } from '../../lib/section.tsx';

/** Ticks while the call is live, so "for 12s so far" moves between polls. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

export function CallDetailPage() {
  const { id: idParam } = useParams();
  const id = /^\d{1,15}$/.test(idParam ?? '') ? Number(idParam) : NaN;
  if (!Number.isSafeInteger(id)) {
    return (
      <ErrorPanel title="No such call" error={new Error(`"${idParam ?? ''}" is not a call id.`)} />
    );
  }
  return <CallDetail key={id} id={id} />;
}

function CallDetail({ id }: { id: number }) {
  const client = useCallApiClient();
  const query = useQuery(callQueries.detail(client, id));
  const session = useQuery(sessionQueries.session(client));
  const call = query.data;
  const now = useNow(call !== undefined && !isTerminalStatus(call.status));
  // The heading and the call's facts come first; the rest of the page (participants, flags,
  // timeline, the emulator's controls) in a second, interruptible render just after, so the
  // agent sees the call at once after Create call (docs/performance.md, "Desk").
  const rest = useDeferredValue(true, false);

  if (query.isPending) return <PageSkeleton label={`Loading call ${id}`} />;
  if (!call) {
    const notFound = isCallApiError(query.error) && query.error.status === 404;
    return (
      <ErrorPanel
        title={notFound ? `Call ${id} was not found` : `Call ${id} could not be loaded`}
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  const live = !isTerminalStatus(call.status);
  return (
    <Stack spacing={2}>
      <Box>
        <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
          <Typography variant="h5" component="h1">
            Call {call.id}
          </Typography>
          <StatusChip status={call.status} size="medium" />
          {live && (
            <Typography variant="caption" color="text.secondary" role="status">
              Live
            </Typography>
          )}
        </Stack>
        <Typography color="text.secondary" title={call.call_type}>
          {callTypeLabel(call.call_type)} call
        </Typography>
      </Box>
      {query.isError && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={() => void query.refetch()}>
              Try again
            </Button>
          }
        >
          This call could not be refreshed: {describeError(query.error)}
        </Alert>
      )}
      {call.status === 'scheduled' && (
        <Box>
          <CancelScheduledButton callId={call.id} />
        </Box>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 3fr) minmax(0, 2fr)' },
          alignItems: 'start',
        }}
      >
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <Section title="Details">
            <CallFacts call={call} />
          </Section>
          {rest && (
            <>
              <Section title="Participants">
                <ParticipantsList call={call} />
              </Section>
              <Section title="Transfers">
                <TransfersList call={call} />
              </Section>
              <Section title="Photos and videos">
                <MediaList call={call} />
              </Section>
            </>
          )}
        </Stack>
        {rest && (
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            <Section title="Customer flags">
              <CustomerFlagsPanel callId={call.id} />
            </Section>
            <Section title="Timeline">
              <CallTimeline call={call} now={now} />
            </Section>
            {session.data?.capabilities.simulate && (
              <Section title="Simulate">
                <SimulatePanel call={call} />
              </Section>
            )}
          </Stack>
        )}
      </Box>
    </Stack>
  );
}
