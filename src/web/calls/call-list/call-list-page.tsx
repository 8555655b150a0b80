import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { CALL_STATUSES, CALL_TYPES } from '../../../contract/call-constants.ts';
import { describeError } from '../../desk/error-boundaries.tsx';
import { afterPaintWhenIdle } from '../../lib/idle.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { usePagePreload } from '../../desk/page-preload.tsx';
import { callQueries } from '../api/call-queries.ts';
import { callTypeLabel, statusLabel } from '../common/call-labels.ts';
import { StatusChip } from '../common/status-chip.tsx';
import {
  PER_PAGE_OPTIONS,
  readListState,
  toCallListQuery,
  writeListState,
  type ListState,
} from './call-list-search.ts';

const hideOnXs = { display: { xs: 'none', sm: 'table-cell' } } as const;

/** The search box sends its text to the URL (and the server) once typing pauses. */
function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function CallListPage() {
  const client = useCallApiClient();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readListState(searchParams);
  const query = useQuery(callQueries.list(client, toCallListQuery(state)));

  const update = (patch: Partial<ListState>, replace = false) => {
    // Any change of filter starts again from the first page.
    const next = { ...state, page: 1, ...patch };
    setSearchParams(writeListState(next), { replace });
  };

  const [numberText, setNumberText] = useState(state.number);
  const debouncedNumber = useDebounced(numberText, 300);
  useEffect(() => {
    if (debouncedNumber.trim() !== state.number.trim())
      update({ number: debouncedNumber.trim() }, true);
    // Only the debounced text drives this; the URL's own changes must not loop back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedNumber]);

  const page = query.data;
  const calls = page?.calls ?? [];
  const filtered = Boolean(state.status || state.callType || state.number);

  // A row opens the call's page: its code comes once the rows are on screen, not before
  // (it would compete with the list's own first load).
  const shown = page !== undefined;
  const preload = usePagePreload();
  useEffect(() => {
    if (shown) return afterPaintWhenIdle(() => preload('call-detail'));
  }, [shown, preload]);

  return (
    <Stack spacing={2}>
      <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Calls
        </Typography>
        <Button variant="contained" href="/calls/new">
          New call
        </Button>
      </Stack>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={1}
        role="search"
        aria-label="Filter calls"
      >
        <TextField
          select
          label="Status"
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          value={state.status}
          onChange={(e) => update({ status: e.target.value })}
          sx={{ minWidth: { sm: 180 } }}
        >
          <MenuItem value="">All statuses</MenuItem>
          {CALL_STATUSES.map((s) => (
            <MenuItem key={s} value={s}>
              {statusLabel(s)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Call type"
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          value={state.callType}
          onChange={(e) => update({ callType: e.target.value })}
          sx={{ minWidth: { sm: 180 } }}
        >
          <MenuItem value="">All types</MenuItem>
          {CALL_TYPES.map((t) => (
            <MenuItem key={t} value={t}>
              {callTypeLabel(t)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Search by end user number"
          type="search"
          value={numberText}
          onChange={(e) => setNumberText(e.target.value)}
          slotProps={{ htmlInput: { inputMode: 'tel', maxLength: 40 } }}
        />
      </Stack>
      {query.isError && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={() => void query.refetch()}>
              Try again
            </Button>
          }
        >
          {page ? 'The list could not be refreshed: ' : 'Calls could not be loaded: '}
          {describeError(query.error)}
        </Alert>
      )}
      <Paper variant="outlined">
        <TableContainer>
          <Table size="small" aria-label="Calls" aria-busy={query.isFetching}>
            <TableHead>
              <TableRow>
                <TableCell>Call</TableCell>
                <TableCell>Status</TableCell>
                <TableCell sx={hideOnXs}>Type</TableCell>
                <TableCell>End user</TableCell>
                <TableCell sx={hideOnXs}>Agent</TableCell>
                <TableCell sx={hideOnXs}>Created</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {query.isPending &&
                Array.from({ length: 5 }, (_, i) => (
                  <TableRow key={`skeleton-${i}`}>
                    <TableCell colSpan={6}>
                      <Skeleton variant="text" aria-hidden />
                    </TableCell>
                  </TableRow>
                ))}
              {calls.map((call) => (
                <TableRow
                  key={call.id}
                  hover
                  onClick={(event) => {
                    // The id cell's link handles its own clicks (and modifier keys).
                    if ((event.target as HTMLElement).closest('a')) return;
                    void navigate(`/calls/${call.id}`);
                  }}
                  sx={{ cursor: 'pointer' }}
                >
                  <TableCell>
                    <Link href={`/calls/${call.id}`} aria-label={`Open call ${call.id}`}>
                      {call.id}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <StatusChip status={call.status} />
                  </TableCell>
                  <TableCell sx={hideOnXs}>{callTypeLabel(call.call_type)}</TableCell>
                  <TableCell sx={{ overflowWrap: 'anywhere' }}>
                    {call.end_user_number ?? '—'}
                  </TableCell>
                  <TableCell sx={{ ...hideOnXs, overflowWrap: 'anywhere' }}>
                    {call.agent_info?.name ?? call.agent_email ?? '—'}
                  </TableCell>
                  <TableCell sx={hideOnXs}>{formatDateTime(call.created_at)}</TableCell>
                </TableRow>
              ))}
              {page && calls.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6}>
                    <Box sx={{ py: 3, textAlign: 'center' }}>
                      <Typography>
                        {filtered ? 'No calls match these filters.' : 'No calls yet.'}
                      </Typography>
                      {filtered ? (
                        <Button
                          onClick={() => {
                            setNumberText('');
                            update({ status: '', callType: '', number: '' });
                          }}
                        >
                          Clear filters
                        </Button>
                      ) : (
                        <Button href="/calls/new">Create a call</Button>
                      )}
                    </Box>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination
          component="div"
          count={page?.total ?? 0}
          page={
            page && page.total > 0
              ? Math.min(state.page - 1, Math.max(0, Math.ceil(page.total / state.per) - 1))
              : 0
          }
          rowsPerPage={state.per}
          rowsPerPageOptions={[...new Set<number>([...PER_PAGE_OPTIONS, state.per])].sort(
            (a, b) => a - b,
          )}
          onPageChange={(_event, next) => update({ page: next + 1 })}
          onRowsPerPageChange={(event) => update({ per: Number(event.target.value) })}
          sx={{
            '& .MuiTablePagination-toolbar': { flexWrap: 'wrap', pl: 1 },
            '& .MuiTablePagination-spacer': { display: { xs: 'none', sm: 'block' } },
          }}
        />
      </Paper>
    </Stack>
  );
}
