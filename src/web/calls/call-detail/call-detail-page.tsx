import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { attention } from '../../desk/attention.ts';
import { useDocumentTitle } from '../../desk/document-title.ts';
import { ErrorDescription, ErrorPanel } from '../../desk/error-boundaries.tsx';
import { PageSkeleton } from '../../desk/page-skeleton.tsx';
import { sessionQueries } from '../../desk/session-queries.ts';
import { isCallApiError } from '../../lib/api-error.ts';
import { loadPhoneFormat } from '../../lib/phone-format.ts';
import { Section } from '../../lib/section.tsx';
import { callQueries } from '../api/call-queries.ts';
import { useCallWords } from '../common/call-words.ts';
import { CallHeader } from './call-header.tsx';
import { CallHistory } from './call-history.tsx';
import { CallFacts, MediaList, ParticipantsList, TransfersList } from './call-sections.tsx';
import { callState } from './call-state.ts';
import { CallTimeline } from './call-timeline.tsx';
import { CancelScheduledButton } from './cancel-scheduled-button.tsx';
import { CustomerFlagsPanel } from './customer-flags-panel.tsx';
import { SimulatePanel } from './simulate-panel.tsx';

// This page is fetched ahead (from the form and the list), and numbers show on it at once:
// libphonenumber comes with it.
void loadPhoneFormat().catch(() => {});

export function CallDetailPage() {
  const { id: idParam } = useParams();
  const intl = useIntl();
  const id = /^\d{1,15}$/.test(idParam ?? '') ? Number(idParam) : NaN;
  if (!Number.isSafeInteger(id)) {
    return (
      <ErrorPanel
        heading
        title={intl.formatMessage({ id: 'call.noSuchCall', defaultMessage: 'No such call' })}
        error={
          new Error(
            intl.formatMessage(
              { id: 'call.notAnId', defaultMessage: '“{id}” is not a call ID.' },
              { id: idParam ?? '' },
            ),
          )
        }
        action={<ToTheList />}
      />
    );
  }
  return <CallDetail key={id} id={id} />;
}

function ToTheList() {
  return (
    <Button color="inherit" size="small" href="/calls">
      <FormattedMessage id="call.toList" defaultMessage="Go to the list of calls" />
    </Button>
  );
}

function CallDetail({ id }: { id: number }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const words = useCallWords();
  const query = useQuery(callQueries.detail(client, id));
  const session = useQuery(sessionQueries.session(client));
  const call = query.data;
  // The header first; the rest of the page (flags, timeline, details, the emulator's
  // controls) in a second, interruptible render just after, so the agent sees the call at
  // once after Create call (docs/performance.md, "Desk").
  const rest = useDeferredValue(true, false);
  const state = call ? callState(call) : undefined;
  const heading = intl.formatMessage(
    { id: 'call.heading', defaultMessage: 'Call {id}' },
    { id: String(id) },
  );
  useDocumentTitle(state ? `${heading} · ${words.status(state.key)}` : heading);
  // The agent is looking at this call: it no longer waits for their eye.
  useEffect(() => attention.seen([id]), [id]);

  if (query.isPending) {
    return (
      <PageSkeleton
        label={intl.formatMessage(
          { id: 'call.loading', defaultMessage: 'Loading call {id}' },
          { id: String(id) },
        )}
      />
    );
  }
  if (!call) {
    const notFound = isCallApiError(query.error) && query.error.status === 404;
    return notFound ? (
      <ErrorPanel
        heading
        title={intl.formatMessage(
          { id: 'call.notFound', defaultMessage: 'Call {id} was not found' },
          { id: String(id) },
        )}
        error={query.error}
        action={<ToTheList />}
      />
    ) : (
      <ErrorPanel
        heading
        title={intl.formatMessage(
          { id: 'call.loadFailed', defaultMessage: 'Call {id} could not be loaded' },
          { id: String(id) },
        )}
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  const emulator = session.data?.capabilities.simulate === true;
  const actions =
    call.status === 'scheduled' || emulator ? (
      <Stack spacing={1}>
        {call.status === 'scheduled' && (
          <Box>
            <CancelScheduledButton callId={call.id} />
          </Box>
        )}
        {emulator && rest && <SimulatePanel call={call} />}
      </Stack>
    ) : null;
  const sections = (area: string) => ({ gridArea: area, minWidth: 0 });
  return (
    <Stack spacing={2}>
      <CallHeader call={call} actions={actions} />
      {query.isError && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={() => void query.refetch()}>
              <FormattedMessage id="error.retry" defaultMessage="Try again" />
            </Button>
          }
        >
          <FormattedMessage
            id="call.refreshFailed"
            defaultMessage="This call could not be refreshed:"
          />{' '}
          <ErrorDescription error={query.error} />
        </Alert>
      )}
      {rest && (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            alignItems: 'start',
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 3fr) minmax(0, 2fr)' },
            gridTemplateAreas: {
              xs: '"flags" "timeline" "details" "participants" "transfers" "media" "history"',
              md: '"details flags" "details timeline" "participants timeline" "transfers timeline" "media timeline" "history timeline"',
            },
          }}
        >
          <Box sx={sections('flags')}>
            <Section
              title={intl.formatMessage({ id: 'flag.group', defaultMessage: 'Customer flags' })}
            >
              <CustomerFlagsPanel callId={call.id} />
            </Section>
          </Box>
          <Box sx={sections('timeline')}>
            <Section
              title={intl.formatMessage({ id: 'timeline.list', defaultMessage: 'Timeline' })}
            >
              <CallTimeline call={call} />
            </Section>
          </Box>
          <Box sx={sections('details')}>
            <Section title={intl.formatMessage({ id: 'details.title', defaultMessage: 'Details' })}>
              <CallFacts call={call} />
            </Section>
          </Box>
          {call.participants.length > 0 && (
            <Box sx={sections('participants')}>
              <Section
                title={intl.formatMessage({
                  id: 'participants.list',
                  defaultMessage: 'Participants',
                })}
              >
                <ParticipantsList call={call} />
              </Section>
            </Box>
          )}
          {call.transfers.length > 0 && (
            <Box sx={sections('transfers')}>
              <Section
                title={intl.formatMessage({ id: 'transfers.list', defaultMessage: 'Transfers' })}
              >
                <TransfersList call={call} />
              </Section>
            </Box>
          )}
          {(call.photos.length > 0 || call.videos.length > 0) && (
            <Box sx={sections('media')}>
              <Section
                title={intl.formatMessage({
                  id: 'media.list',
                  defaultMessage: 'Photos and videos',
                })}
              >
                <MediaList call={call} />
              </Section>
            </Box>
          )}
          <Box sx={sections('history')}>
            <Section title={intl.formatMessage({ id: 'history.title', defaultMessage: 'History' })}>
              <CallHistory callId={call.id} />
            </Section>
          </Box>
        </Box>
      )}
    </Stack>
  );
}
