import TextField from '@mui/material/TextField';
import { useQuery } from '@tanstack/react-query';
import { useIntl } from 'react-intl';
import { directoryQueries } from '../calls/api/directory-queries.ts';
import { useCallApiClient } from '../desk/api-client.tsx';
import { useChooseCurrentAgent, useCurrentAgent } from '../desk/current-agent.tsx';

/** The agent working at this desk; fills "Agent email" on the outbound form. */
export function ActingAgentPicker() {
  const client = useCallApiClient();
  const intl = useIntl();
  const { email } = useCurrentAgent();
  const setEmail = useChooseCurrentAgent();
  const agents = useQuery(directoryQueries.agents(client));
  const list = agents.data ?? [];
  const known = list.some((a) => a.email === email);
  return (
    <TextField
      select
      size="small"
      label={intl.formatMessage({ id: 'shell.actingAgent', defaultMessage: 'Acting agent' })}
      value={email}
      onChange={(event) => setEmail(event.target.value)}
      sx={{ minWidth: 180, maxWidth: { xs: '100%', sm: 280 } }}
      fullWidth={false}
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
      helperText={
        agents.isError
          ? intl.formatMessage({
              id: 'shell.agentsFailed',
              defaultMessage: 'Agents could not be loaded',
            })
          : undefined
      }
    >
      <option value="">
        {intl.formatMessage({ id: 'shell.nobody', defaultMessage: 'Nobody' })}
      </option>
      {!known && email !== '' && <option value={email}>{email}</option>}
      {list.map((agent) => (
        <option key={agent.id} value={agent.email}>
          {agent.status === 'available'
            ? (agent.name ?? agent.email)
            : intl.formatMessage(
                {
                  id: 'agent.withStatus',
                  defaultMessage:
                    '{name} ({status, select, available {available} unavailable {unavailable} other {{status}}})',
                },
                { name: agent.name ?? agent.email, status: agent.status },
              )}
        </option>
      ))}
    </TextField>
  );
}
