import ReplayIcon from '@mui/icons-material/Replay';
import VerifiedIcon from '@mui/icons-material/Verified';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { defineMessages, FormattedMessage, useIntl } from 'react-intl';
import type { CustomerFlagKey } from '../../../contract/customer-flags.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { ErrorDescription } from '../../desk/error-boundaries.tsx';
import { Placeholder } from '../../desk/placeholder.tsx';
import { callQueries } from '../api/call-queries.ts';
import { useUpdateCustomerFlags } from './use-call-actions.ts';

const words = defineMessages({
  verified_customer: { id: 'flag.verified_customer', defaultMessage: 'Verified customer' },
  bad_actor: { id: 'flag.bad_actor', defaultMessage: 'Bad actor' },
  repeat_customer: { id: 'flag.repeat_customer', defaultMessage: 'Repeat customer' },
  verifiedHint: {
    id: 'flag.verified_customer.hint',
    defaultMessage: 'The customer proved who they are.',
  },
  badActorHint: {
    id: 'flag.bad_actor.hint',
    defaultMessage: 'Abusive or fraudulent: take care, and warn whoever takes this customer next.',
  },
  repeatHint: {
    id: 'flag.repeat_customer.hint',
    defaultMessage: 'The customer has called before.',
  },
});

interface FlagLook {
  key: CustomerFlagKey;
  color: 'success' | 'warning' | 'info';
  icon: ReactElement;
  hint: (typeof words)[keyof typeof words];
}

const FLAGS: readonly FlagLook[] = [
  {
    key: 'verified_customer',
    color: 'success',
    icon: <VerifiedIcon />,
    hint: words.verifiedHint,
  },
  { key: 'bad_actor', color: 'warning', icon: <WarningAmberIcon />, hint: words.badActorHint },
  { key: 'repeat_customer', color: 'info', icon: <ReplayIcon />, hint: words.repeatHint },
];

/** The flags set on the call's customer, as badges (bad actor in the warning colour). */
export function FlagBadges({ callId }: { callId: number }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const flags = useQuery(callQueries.flags(client, callId));
  if (!flags.data) return null;
  const set = FLAGS.filter(({ key }) => flags.data[key]);
  if (set.length === 0) return null;
  return (
    <Box
      component="ul"
      aria-label={intl.formatMessage({ id: 'flag.badges', defaultMessage: 'Customer flags set' })}
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75, listStyle: 'none', m: 0, p: 0 }}
    >
      {set.map(({ key, color, icon }) => (
        <li key={key}>
          <Chip
            size="small"
            color={color}
            variant={key === 'bad_actor' ? 'filled' : 'outlined'}
            icon={icon}
            label={intl.formatMessage(words[key])}
            data-flag={key}
          />
        </li>
      ))}
    </Box>
  );
}

export function CustomerFlagsPanel({ callId }: { callId: number }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const flags = useQuery(callQueries.flags(client, callId));
  const update = useUpdateCustomerFlags(callId);
  if (flags.isPending) {
    return (
      <Box
        role="progressbar"
        aria-label={intl.formatMessage({
          id: 'flag.loading',
          defaultMessage: 'Loading customer flags',
        })}
      >
        <Placeholder height={96} rounded />
      </Box>
    );
  }
  if (flags.isError && !flags.data) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={() => void flags.refetch()}>
            <FormattedMessage id="error.retry" defaultMessage="Try again" />
          </Button>
        }
      >
        <FormattedMessage
          id="flag.loadFailed"
          defaultMessage="Customer flags could not be loaded:"
        />{' '}
        <ErrorDescription error={flags.error} />
      </Alert>
    );
  }
  return (
    <FormGroup
      aria-label={intl.formatMessage({ id: 'flag.group', defaultMessage: 'Customer flags' })}
    >
      {FLAGS.map(({ key, color, hint }) => (
        <Box key={key} sx={{ mb: 0.5 }}>
          <FormControlLabel
            label={intl.formatMessage(words[key])}
            control={
              <Switch
                color={color}
                checked={flags.data[key]}
                onChange={(event) => update.mutate({ [key]: event.target.checked })}
                slotProps={{ input: { 'aria-describedby': `flag-hint-${key}` } }}
              />
            }
          />
          <Typography
            id={`flag-hint-${key}`}
            variant="caption"
            color="text.secondary"
            sx={{ display: 'block', ml: 6, mt: -0.75 }}
          >
            {intl.formatMessage(hint)}
          </Typography>
        </Box>
      ))}
    </FormGroup>
  );
}
