import TuneIcon from '@mui/icons-material/Tune';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { defineMessages, FormattedMessage, useIntl } from 'react-intl';
import { FAIL_REASONS } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import {
  EVENTS_ALLOWED,
  type CallEventRequest,
  type EventType,
} from '../../../contract/emulator.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { useCurrentAgent } from '../../desk/current-agent.tsx';
import { directoryQueries } from '../api/directory-queries.ts';
import { useCallWords } from '../common/call-words.ts';
import { useSendCallEvent } from './use-call-actions.ts';

// Emulator only: the actions a call takes now, as an agent's softphone would offer them
// (assign, connect, hold, transfer, finish...): the events its status allows. Who to
// assign or transfer to, and why a call fails, are options the agent can open.

const EVENT_WORDS = defineMessages({
  assign: { id: 'simulate.assign', defaultMessage: 'Assign' },
  ring: { id: 'simulate.ring', defaultMessage: 'Ring' },
  connect: { id: 'simulate.connect', defaultMessage: 'Connect' },
  hold: { id: 'simulate.hold', defaultMessage: 'Hold' },
  resume: { id: 'simulate.resume', defaultMessage: 'Resume' },
  transfer: { id: 'simulate.transfer', defaultMessage: 'Transfer' },
  transfer_accept: { id: 'simulate.transfer_accept', defaultMessage: 'Accept transfer' },
  transfer_fail: { id: 'simulate.transfer_fail', defaultMessage: 'Fail transfer' },
  finish: { id: 'simulate.finish', defaultMessage: 'Finish' },
  fail: { id: 'simulate.fail', defaultMessage: 'Fail' },
  deflect: { id: 'simulate.deflect', defaultMessage: 'Deflect' },
  voicemail: { id: 'simulate.voicemail', defaultMessage: 'Voicemail' },
  voicemail_received: { id: 'simulate.voicemail_received', defaultMessage: 'Voicemail received' },
  voicemail_read: { id: 'simulate.voicemail_read', defaultMessage: 'Voicemail read' },
  switch: { id: 'simulate.switch', defaultMessage: 'Switch provider' },
  recover: { id: 'simulate.recover', defaultMessage: 'Recover' },
});

/** The events the call accepts now: the server's word (allowed_events) where it gives it. */
function allowedEventsFor(call: Call): EventType[] {
  const fromServer = (call as Call & { allowed_events?: unknown }).allowed_events;
  if (Array.isArray(fromServer)) {
    return fromServer.filter((e): e is EventType => typeof e === 'string' && e in EVENT_WORDS);
  }
  return [...(EVENTS_ALLOWED[call.status] ?? [])];
}

const nativeSelect = { select: { native: true }, inputLabel: { shrink: true } } as const;

export function SimulatePanel({ call }: { call: Call }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const words = useCallWords();
  const { email: signedIn } = useCurrentAgent();
  const agents = useQuery(directoryQueries.agents(client));
  const menus = useQuery(directoryQueries.menus(client));
  const send = useSendCallEvent(call.id);
  const [agent, setAgent] = useState('');
  const [target, setTarget] = useState('');
  const [failReason, setFailReason] = useState('eu_abandoned');
  const [options, setOptions] = useState(false);
  const allowed = allowedEventsFor(call);
  const chosenAgent =
    agent || signedIn || agents.data?.find((a) => a.status === 'available')?.email || '';
  const transferTargets = [
    ...(agents.data ?? []).map((a) => ({
      value: `agent:${a.email}`,
      label: intl.formatMessage(
        { id: 'simulate.target.agent', defaultMessage: 'Agent {name}' },
        { name: a.name ?? a.email },
      ),
    })),
    ...(menus.data ?? [])
      .filter((m) => !m.deleted)
      .map((m) => ({
        value: `menu:${m.id}`,
        label: intl.formatMessage(
          { id: 'simulate.target.menu', defaultMessage: 'Menu {name}' },
          { name: m.name },
        ),
      })),
  ];
  const chosenTarget =
    target || transferTargets.find((t) => t.value !== `agent:${call.agent_email}`)?.value || '';

  function eventFor(type: EventType): CallEventRequest {
    switch (type) {
      case 'assign':
        return chosenAgent ? { type, agent_email: chosenAgent } : { type };
      case 'transfer':
        return chosenTarget.startsWith('menu:')
          ? { type, to_menu_id: Number(chosenTarget.slice(5)) }
          : { type, to_agent_email: chosenTarget.slice(6) };
      case 'fail':
      case 'transfer_fail':
        return { type, fail_reason: failReason };
      default:
        return { type } as CallEventRequest;
    }
  }

  if (allowed.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        <FormattedMessage id="simulate.none" defaultMessage="This call takes no more events." />
      </Typography>
    );
  }
  const hasOptions =
    allowed.includes('assign') ||
    allowed.includes('transfer') ||
    allowed.includes('fail') ||
    allowed.includes('transfer_fail');
  return (
    <Stack spacing={1}>
      <Stack
        direction="row"
        useFlexGap
        sx={{ flexWrap: 'wrap', gap: 0.75 }}
        role="group"
        aria-label={intl.formatMessage({ id: 'simulate.group', defaultMessage: 'Simulate events' })}
      >
        {allowed.map((type) => (
          <Button
            key={type}
            variant={type === 'connect' || type === 'finish' ? 'contained' : 'outlined'}
            size="small"
            color={type === 'fail' || type === 'transfer_fail' ? 'error' : 'primary'}
            disabled={send.isPending}
            onClick={() => send.mutate(eventFor(type))}
          >
            {intl.formatMessage(EVENT_WORDS[type])}
          </Button>
        ))}
        {hasOptions && (
          <Button
            size="small"
            startIcon={<TuneIcon />}
            aria-expanded={options}
            aria-controls={`simulate-options-${call.id}`}
            onClick={() => setOptions((open) => !open)}
          >
            <FormattedMessage id="simulate.options" defaultMessage="Options" />
          </Button>
        )}
      </Stack>
      {hasOptions && options && (
        <Box
          id={`simulate-options-${call.id}`}
          sx={{
            display: 'grid',
            gap: 1,
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', sm: 'repeat(3, minmax(0, 1fr))' },
          }}
        >
          {allowed.includes('assign') && (
            <TextField
              select
              label={intl.formatMessage({ id: 'simulate.assignTo', defaultMessage: 'Assign to' })}
              value={chosenAgent}
              onChange={(e) => setAgent(e.target.value)}
              slotProps={nativeSelect}
            >
              {(agents.data ?? []).map((a) => (
                <option key={a.email} value={a.email}>
                  {intl.formatMessage(
                    {
                      id: 'agent.withStatus',
                      defaultMessage:
                        '{name} ({status, select, available {available} unavailable {unavailable} other {{status}}})',
                    },
                    { name: a.name ?? a.email, status: a.status },
                  )}
                </option>
              ))}
            </TextField>
          )}
          {allowed.includes('transfer') && (
            <TextField
              select
              label={intl.formatMessage({
                id: 'simulate.transferTo',
                defaultMessage: 'Transfer to',
              })}
              value={chosenTarget}
              onChange={(e) => setTarget(e.target.value)}
              slotProps={nativeSelect}
            >
              {transferTargets.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </TextField>
          )}
          {(allowed.includes('fail') || allowed.includes('transfer_fail')) && (
            <TextField
              select
              label={intl.formatMessage({
                id: 'simulate.failReason',
                defaultMessage: 'Fail reason',
              })}
              value={failReason}
              onChange={(e) => setFailReason(e.target.value)}
              slotProps={nativeSelect}
            >
              {FAIL_REASONS.filter((r) => r !== 'nothing').map((r) => (
                <option key={r} value={r}>
                  {words.failReason(r)}
                </option>
              ))}
            </TextField>
          )}
        </Box>
      )}
    </Stack>
  );
}
