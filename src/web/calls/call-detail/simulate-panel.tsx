import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FAIL_REASONS } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import {
  EVENTS_ALLOWED,
  type CallEventRequest,
  type EventType,
} from '../../../contract/emulator.ts';
import { useCurrentAgent } from '../../desk/current-agent.tsx';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { directoryQueries } from '../api/directory-queries.ts';
import { failReasonLabel } from '../common/call-labels.ts';
import { useSendCallEvent } from './use-call-actions.ts';

// Emulator only: walk a call through its life by sending it the events its status allows.

const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  assign: 'Assign',
  ring: 'Ring',
  connect: 'Connect',
  hold: 'Hold',
  resume: 'Resume',
  transfer: 'Transfer',
  transfer_accept: 'Accept transfer',
  transfer_fail: 'Fail transfer',
  finish: 'Finish',
  fail: 'Fail',
  deflect: 'Deflect',
  voicemail: 'Voicemail',
  voicemail_received: 'Voicemail received',
  voicemail_read: 'Voicemail read',
  switch: 'Switch provider',
  recover: 'Recover',
};

/** The events the call accepts now: the server's word (allowed_events) where it gives it. */
export function allowedEventsFor(call: Call): EventType[] {
  const fromServer = (call as Call & { allowed_events?: unknown }).allowed_events;
  if (Array.isArray(fromServer)) {
    return fromServer.filter((e): e is EventType => typeof e === 'string' && e in EVENT_LABELS);
  }
  return [...(EVENTS_ALLOWED[call.status] ?? [])];
}

export function SimulatePanel({ call }: { call: Call }) {
  const client = useCallApiClient();
  const { email: signedIn } = useCurrentAgent();
  const agents = useQuery(directoryQueries.agents(client));
  const menus = useQuery(directoryQueries.menus(client));
  const send = useSendCallEvent(call.id);
  const [agent, setAgent] = useState('');
  const [target, setTarget] = useState('');
  const [failReason, setFailReason] = useState('eu_abandoned');
  const allowed = allowedEventsFor(call);
  const chosenAgent =
    agent || signedIn || agents.data?.find((a) => a.status === 'available')?.email || '';
  const transferTargets = [
    ...(agents.data ?? []).map((a) => ({
      value: `agent:${a.email}`,
      label: `Agent ${a.name ?? a.email}`,
    })),
    ...(menus.data ?? [])
      .filter((m) => !m.deleted)
      .map((m) => ({ value: `menu:${m.id}`, label: `Menu ${m.name}` })),
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
    return <Typography color="text.secondary">This call takes no more events.</Typography>;
  }
  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        {allowed.includes('assign') && (
          <TextField
            select
            label="Assign to"
            value={chosenAgent}
            onChange={(e) => setAgent(e.target.value)}
          >
            {(agents.data ?? []).map((a) => (
              <MenuItem key={a.email} value={a.email}>
                {a.name ?? a.email} ({a.status})
              </MenuItem>
            ))}
          </TextField>
        )}
        {allowed.includes('transfer') && (
          <TextField
            select
            label="Transfer to"
            value={chosenTarget}
            onChange={(e) => setTarget(e.target.value)}
          >
            {transferTargets.map((t) => (
              <MenuItem key={t.value} value={t.value}>
                {t.label}
              </MenuItem>
            ))}
          </TextField>
        )}
        {(allowed.includes('fail') || allowed.includes('transfer_fail')) && (
          <TextField
            select
            label="Fail reason"
            value={failReason}
            onChange={(e) => setFailReason(e.target.value)}
          >
            {FAIL_REASONS.filter((r) => r !== 'nothing').map((r) => (
              <MenuItem key={r} value={r}>
                {failReasonLabel(r)}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Stack>
      <Stack
        direction="row"
        useFlexGap
        sx={{ flexWrap: 'wrap', gap: 1 }}
        role="group"
        aria-label="Simulate events"
      >
        {allowed.map((type) => (
          <Button
            key={type}
            variant="outlined"
            size="small"
            color={type === 'fail' || type === 'transfer_fail' ? 'error' : 'primary'}
            disabled={send.isPending}
            onClick={() => send.mutate(eventFor(type))}
          >
            {EVENT_LABELS[type]}
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}
