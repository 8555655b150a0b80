import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useQuery } from '@tanstack/react-query';
import { directoryQueries } from '../calls/api/directory-queries.ts';
import { useCallApiClient } from '../desk/api-client.tsx';
import { useChooseCurrentAgent, useCurrentAgent } from '../desk/current-agent.tsx';

/** The agent working at this desk; fills "Agent email" on the outbound form. */
export function ActingAgentPicker() {
  const client = useCallApiClient();
  const { email } = useCurrentAgent();
  const setEmail = useChooseCurrentAgent();
  const agents = useQuery(directoryQueries.agents(client));
  const list = agents.data ?? [];
  const known = list.some((a) => a.email === email);
  return (
    <TextField
      select
      size="small"
      label="Acting agent"
      value={email}
      onChange={(event) => setEmail(event.target.value)}
      sx={{
        minWidth: 180,
        maxWidth: { xs: '100%', sm: 280 },
        flex: { xs: '1 1 100%', sm: '0 1 auto' },
      }}
      fullWidth={false}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
      helperText={agents.isError ? 'Agents could not be loaded' : undefined}
    >
      <MenuItem value="">
        <em>Nobody</em>
      </MenuItem>
      {!known && email !== '' && <MenuItem value={email}>{email}</MenuItem>}
      {list.map((agent) => (
        <MenuItem key={agent.id} value={agent.email}>
          {agent.name ?? agent.email}
          {agent.status !== 'available' ? ` (${agent.status})` : ''}
        </MenuItem>
      ))}
    </TextField>
  );
}
