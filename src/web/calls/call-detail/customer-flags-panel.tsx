import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Skeleton from '@mui/material/Skeleton';
import Switch from '@mui/material/Switch';
import { useQuery } from '@tanstack/react-query';
import type { CustomerFlagKey } from '../../../contract/customer-flags.ts';
import { describeError } from '../../desk/error-boundaries.tsx';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { callQueries } from '../api/call-queries.ts';
import { useUpdateCustomerFlags } from './use-call-actions.ts';

const FLAGS: ReadonlyArray<{ key: CustomerFlagKey; label: string }> = [
  { key: 'verified_customer', label: 'Verified customer' },
  { key: 'bad_actor', label: 'Bad actor' },
  { key: 'repeat_customer', label: 'Repeat customer' },
];

export function CustomerFlagsPanel({ callId }: { callId: number }) {
  const client = useCallApiClient();
  const flags = useQuery(callQueries.flags(client, callId));
  const update = useUpdateCustomerFlags(callId);
  if (flags.isPending) {
    return <Skeleton variant="rounded" height={96} aria-label="Loading customer flags" />;
  }
  if (flags.isError && !flags.data) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={() => void flags.refetch()}>
            Try again
          </Button>
        }
      >
        Customer flags could not be loaded: {describeError(flags.error)}
      </Alert>
    );
  }
  return (
    <FormGroup aria-label="Customer flags">
      {FLAGS.map(({ key, label }) => (
        <FormControlLabel
          key={key}
          label={label}
          control={
            <Switch
              checked={flags.data[key]}
              onChange={(event) => update.mutate({ [key]: event.target.checked })}
            />
          }
        />
      ))}
    </FormGroup>
  );
}
