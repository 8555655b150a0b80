import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { defineMessages, FormattedMessage, useIntl } from 'react-intl';
import type { HistoryEntry } from '../../../contract/desk.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { useNow } from '../../desk/clock.ts';
import { ErrorDescription } from '../../desk/error-boundaries.tsx';
import { useDeskFormat } from '../../desk/format.ts';
import { Placeholder } from '../../desk/placeholder.tsx';
import { callQueries } from '../api/call-queries.ts';

// What agents changed on this call through the desk, newest last: flags turned on and off,
// a scheduled call cancelled. From the desk server's audit log, so it says who did it even
// when that was somebody else, at another desk.

const FLAG_KEYS = ['verified_customer', 'bad_actor', 'repeat_customer'] as const;

const flagWords = defineMessages({
  verified_customer: { id: 'flag.verified_customer', defaultMessage: 'Verified customer' },
  bad_actor: { id: 'flag.bad_actor', defaultMessage: 'Bad actor' },
  repeat_customer: { id: 'flag.repeat_customer', defaultMessage: 'Repeat customer' },
});

type Flags = Partial<Record<(typeof FLAG_KEYS)[number], boolean>>;

function flagsOf(value: unknown): Flags {
  return value && typeof value === 'object' ? (value as Flags) : {};
}

/** The lines one entry reads as: one per flag it changed. */
function useLines(entry: HistoryEntry): string[] {
  const intl = useIntl();
  const agent = entry.agent_name || entry.agent_email;
  if (entry.action === 'call.cancel') {
    return [
      intl.formatMessage(
        { id: 'history.cancelled', defaultMessage: '{agent} cancelled the scheduled call' },
        { agent },
      ),
    ];
  }
  if (entry.action === 'customer_flag.update') {
    const before = flagsOf(entry.before);
    const after = flagsOf(entry.after);
    const changed = FLAG_KEYS.filter((k) => after[k] !== undefined && before[k] !== after[k]);
    return changed.map((k) => {
      const flag = intl.formatMessage(flagWords[k]);
      return after[k]
        ? intl.formatMessage(
            { id: 'history.flagOn', defaultMessage: '{agent} marked the customer: {flag}' },
            { agent, flag },
          )
        : intl.formatMessage(
            { id: 'history.flagOff', defaultMessage: '{agent} took off: {flag}' },
            { agent, flag },
          );
    });
  }
  return [
    intl.formatMessage(
      { id: 'history.other', defaultMessage: '{agent}: {action}' },
      { agent, action: entry.action },
    ),
  ];
}

function HistoryItem({ entry, now }: { entry: HistoryEntry; now: number }) {
  const format = useDeskFormat();
  const lines = useLines(entry);
  if (lines.length === 0) return null;
  return (
    <Box component="li" sx={{ py: 0.75, borderTop: 1, borderColor: 'divider', listStyle: 'none' }}>
      {lines.map((line) => (
        <Typography key={line} variant="body2">
          {line}
        </Typography>
      ))}
      <Typography variant="caption" color="text.secondary" component="time" dateTime={entry.at}>
        {format.dateTime(entry.at)} · {format.relative(entry.at, now)}
      </Typography>
    </Box>
  );
}

export function CallHistory({ callId }: { callId: number }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const history = useQuery(callQueries.history(client, callId));
  const now = useNow(30_000);
  if (history.isPending) return <Placeholder height={40} />;
  if (history.isError) {
    return (
      <Alert severity="warning">
        <FormattedMessage id="history.failed" defaultMessage="The history could not be read:" />{' '}
        <ErrorDescription error={history.error} />
      </Alert>
    );
  }
  if (history.data.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        <FormattedMessage
          id="history.empty"
          defaultMessage="No agent has changed the flags of this call, or cancelled it, from the desk."
        />
      </Typography>
    );
  }
  return (
    <Box
      component="ol"
      aria-label={intl.formatMessage({ id: 'history.list', defaultMessage: 'Changes by agents' })}
      sx={{ m: 0, p: 0 }}
    >
      {history.data.map((entry) => (
        <HistoryItem key={entry.id} entry={entry} now={now} />
      ))}
    </Box>
  );
}
