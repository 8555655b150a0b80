import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Call } from '../../../contract/calls.ts';
import { useNow } from '../../desk/clock.ts';
import { CopyButton } from '../../desk/copy-button.tsx';
import { secondsBetween, timerText, useDeskFormat } from '../../desk/format.ts';
import { PageHeading } from '../../desk/page-focus.tsx';
import { safeHttpUrl } from '../../lib/safe-url.ts';
import { useCallWords } from '../common/call-words.ts';
import { PhoneNumber } from '../common/phone-number.tsx';
import { StatusChip } from '../common/status-chip.tsx';
import { callState, callTimes } from './call-state.ts';
import { FlagBadges } from './customer-flags-panel.tsx';

// The call at one glance, as a softphone shows it: who (the customer's number, ticket,
// flags), the state in words with a timer running since that state began, and the actions
// the call takes now. At 360×640 all of it fits the first screen.

function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', minWidth: 0 }}>
      <Typography variant="body2" color="text.secondary" component="span">
        {label}
      </Typography>
      <Typography
        variant="body2"
        component="span"
        sx={{
          fontWeight: 600,
          overflowWrap: 'anywhere',
          display: 'inline-flex',
          alignItems: 'center',
        }}
      >
        {children}
      </Typography>
    </Stack>
  );
}

export function CallHeader({ call, actions }: { call: Call; actions: ReactNode }) {
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const state = callState(call);
  const now = useNow(state.live ? 1000 : null);
  const elapsed = state.since ? secondsBetween(state.since, now) : undefined;
  const times = callTimes(call, now);
  const ticketUrl = safeHttpUrl(call.out_ticket_url);
  const headingId = `call-${call.id}-heading`;
  return (
    <Paper
      component="section"
      variant="outlined"
      aria-labelledby={headingId}
      sx={{ p: { xs: 1.5, sm: 2 }, display: 'grid', gap: 1 }}
    >
      <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <PageHeading id={headingId}>
          <FormattedMessage
            id="call.heading"
            defaultMessage="Call {id}"
            values={{ id: String(call.id) }}
          />
        </PageHeading>
        <CopyButton
          value={String(call.id)}
          label={intl.formatMessage({ id: 'call.copyId', defaultMessage: 'Copy call ID' })}
        />
        <Box sx={{ flexGrow: 1 }} />
        <Typography variant="body2" color="text.secondary" title={call.call_type}>
          <FormattedMessage
            id="call.kind"
            defaultMessage="{type, select, outbound {Outbound call} inbound {Inbound call} scheduled {Scheduled call} other {{raw}}}"
            values={{
              type:
                call.call_type === 'Voice Outbound (API)'
                  ? 'outbound'
                  : call.call_type === 'Voice Inbound (API)'
                    ? 'inbound'
                    : call.call_type === 'Voice Scheduled (API)'
                      ? 'scheduled'
                      : 'other',
              raw: call.call_type,
            }}
          />
        </Typography>
      </Stack>

      <Stack
        direction="row"
        useFlexGap
        sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}
        aria-label={intl.formatMessage({ id: 'call.state', defaultMessage: 'State' })}
        role="group"
      >
        <StatusChip status={state.key} size="medium" />
        {state.live && elapsed !== undefined && (
          <Typography
            role="timer"
            aria-label={intl.formatMessage(
              { id: 'call.timer', defaultMessage: '{state} for {duration}' },
              { state: words.status(state.key), duration: format.duration(elapsed) },
            )}
            sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600, fontSize: '1.25rem' }}
          >
            {timerText(elapsed)}
          </Typography>
        )}
        {!state.live && state.since && (
          <Typography variant="body2" color="text.secondary">
            <time dateTime={state.since}>{format.dateTime(state.since)}</time>
          </Typography>
        )}
        {state.live && (
          <Typography
            variant="caption"
            color="success.main"
            role="status"
            sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
          >
            <Box
              component="span"
              aria-hidden
              sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: 'success.main' }}
            />
            <FormattedMessage id="call.live" defaultMessage="Live" />
          </Typography>
        )}
        {call.status === 'scheduled' && call.scheduled_at && (
          <Typography variant="body2">
            <FormattedMessage
              id="call.scheduledFor"
              defaultMessage="Calls the customer {when}"
              values={{ when: format.relative(call.scheduled_at, now) }}
            />{' '}
            (<time dateTime={call.scheduled_at}>{format.dateTime(call.scheduled_at)}</time>)
          </Typography>
        )}
      </Stack>

      <Stack direction="row" useFlexGap sx={{ flexWrap: 'wrap', columnGap: 2, rowGap: 0.5 }}>
        {call.end_user_number && (
          <Fact label={<FormattedMessage id="call.customer" defaultMessage="Customer" />}>
            <PhoneNumber value={call.end_user_number} />
            <CopyButton
              value={call.end_user_number}
              label={intl.formatMessage({
                id: 'call.copyNumber',
                defaultMessage: 'Copy the customer’s number',
              })}
            />
          </Fact>
        )}
        {call.out_ticket_id && (
          <Fact label={<FormattedMessage id="call.ticket" defaultMessage="Ticket" />}>
            {ticketUrl ? (
              <Link href={ticketUrl} target="_blank" rel="noopener noreferrer nofollow">
                {call.out_ticket_id}
              </Link>
            ) : (
              call.out_ticket_id
            )}
            <CopyButton
              value={call.out_ticket_id}
              label={intl.formatMessage({
                id: 'call.copyTicket',
                defaultMessage: 'Copy the ticket ID',
              })}
            />
          </Fact>
        )}
        {call.agent_info && (
          <Fact label={<FormattedMessage id="call.agent" defaultMessage="Agent" />}>
            {call.agent_info.name ?? call.agent_email ?? String(call.agent_info.id)}
          </Fact>
        )}
      </Stack>

      <FlagBadges callId={call.id} />

      {(times.talk !== undefined || times.wait !== undefined) && (
        <Stack
          direction="row"
          useFlexGap
          sx={{ flexWrap: 'wrap', columnGap: 2, rowGap: 0.25, fontVariantNumeric: 'tabular-nums' }}
        >
          {times.wait !== undefined && (
            <Fact label={<FormattedMessage id="call.wait" defaultMessage="Wait" />}>
              {timerText(times.wait)}
            </Fact>
          )}
          {times.talk !== undefined && (
            <Fact label={<FormattedMessage id="call.talk" defaultMessage="Talk" />}>
              {timerText(times.talk)}
            </Fact>
          )}
          {times.hold !== undefined && times.hold > 0 && (
            <Fact label={<FormattedMessage id="call.hold" defaultMessage="Hold" />}>
              {timerText(times.hold)}
            </Fact>
          )}
        </Stack>
      )}

      {actions}
    </Paper>
  );
}
