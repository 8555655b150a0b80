import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router';
import { CALL_TYPES, isTerminalStatus } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { attention } from '../../desk/attention.ts';
import { useNow } from '../../desk/clock.ts';
import { useCurrentAgent } from '../../desk/current-agent.tsx';
import { useDocumentTitle } from '../../desk/document-title.ts';
import { ErrorDescription } from '../../desk/error-boundaries.tsx';
import { secondsBetween, useDeskFormat } from '../../desk/format.ts';
import { PageHeading } from '../../desk/page-focus.tsx';
import { Placeholder } from '../../desk/placeholder.tsx';
import { usePagePreload } from '../../desk/page-preload.tsx';
import { afterPaintWhenIdle } from '../../lib/idle.ts';
import { callQueries } from '../api/call-queries.ts';
import { STATUS_GROUPS, STATUSES_OF, useCallWords } from '../common/call-words.ts';
import { PhoneNumber } from '../common/phone-number.tsx';
import { ListPagination } from './list-pagination.tsx';
import { StatusChip } from '../common/status-chip.tsx';
import {
  PER_PAGE_OPTIONS,
  readListState,
  searchedCallId,
  statusesFor,
  toCallListQuery,
  writeListState,
  type ListState,
  type ListView,
  type SortColumn,
} from './call-list-search.ts';

const hideOnXs = { display: { xs: 'none', sm: 'table-cell' } } as const;
const hideBelowMd = { display: { xs: 'none', md: 'table-cell' } } as const;
const nativeSelect = { select: { native: true }, inputLabel: { shrink: true } } as const;

/** The search box sends its text to the URL (and the server) once typing pauses. */
function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The agent is looking at the list: what was announced is seen (while the tab is visible). */
function useListSeen(shown: boolean) {
  useEffect(() => {
    if (!shown) return;
    const look = () => {
      if (document.visibilityState === 'visible') attention.seen('all');
    };
    look();
    document.addEventListener('visibilitychange', look);
    return () => document.removeEventListener('visibilitychange', look);
  }, [shown]);
}

function CallDuration({ call, now }: { call: Call; now: number }) {
  const format = useDeskFormat();
  const intl = useIntl();
  if (call.status === 'scheduled') {
    return call.scheduled_at ? (
      <time dateTime={call.scheduled_at} title={format.dateTime(call.scheduled_at)}>
        {format.relative(call.scheduled_at, now)}
      </time>
    ) : null;
  }
  const end = isTerminalStatus(call.status) ? (call.ends_at ?? call.updated_at) : now;
  const seconds = secondsBetween(call.created_at, end);
  if (seconds === undefined) return null;
  return (
    <span
      title={intl.formatMessage(
        { id: 'list.durationTitle', defaultMessage: 'Talk {talk}, hold {hold}, wait {wait}' },
        {
          talk: format.duration(call.call_duration ?? 0),
          hold: format.duration(call.hold_duration ?? 0),
          wait: format.duration(call.wait_duration ?? 0),
        },
      )}
    >
      {format.duration(seconds)}
    </span>
  );
}

export function CallListPage() {
  const client = useCallApiClient();
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const navigate = useNavigate();
  const { email: agentEmail } = useCurrentAgent();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readListState(searchParams);
  const statuses = statusesFor(state);
  const listQuery = toCallListQuery(state, agentEmail);
  const noAgent = state.view === 'mine' && !agentEmail;
  const q = state.q.trim();
  const unsearchable = q !== '' && listQuery.end_user_number === undefined;
  const nothingToAsk = noAgent || unsearchable || statuses?.length === 0;
  const query = useQuery({
    ...callQueries.list(client, listQuery, statuses),
    enabled: !nothingToAsk,
  });
  const lookupId = searchedCallId(q);
  const lookup = useQuery({
    ...callQueries.byId(client, lookupId ?? 0),
    enabled: lookupId !== undefined,
  });
  const now = useNow(15_000);

  const title = intl.formatMessage({ id: 'list.title', defaultMessage: 'Calls' });
  useDocumentTitle(title);

  const update = (patch: Partial<ListState>, replace = false) => {
    // Any change of filter starts again from the first page.
    const next = { ...state, page: 1, ...patch };
    setSearchParams(writeListState(next), { replace });
  };

  const [searchText, setSearchText] = useState(state.q);
  const debouncedSearch = useDebounced(searchText, 300);
  useEffect(() => {
    if (debouncedSearch.trim() !== state.q.trim()) update({ q: debouncedSearch.trim() }, true);
    // Only the debounced text drives this; the URL's own changes must not loop back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSearch]);

  const page = nothingToAsk ? undefined : query.data;
  const found = lookupId !== undefined ? lookup.data : undefined;
  const calls = (page?.calls ?? []).filter((c) => c.id !== found?.id);
  const filtered = Boolean(state.status || state.callType || state.q || state.view !== 'all');

  // A row opens the call's page: its code comes once the rows are on screen, not before
  // (it would compete with the list's own first load).
  const shown = page !== undefined || nothingToAsk;
  const preload = usePagePreload();
  useEffect(() => {
    if (shown) return afterPaintWhenIdle(() => preload('call-detail'));
  }, [shown, preload]);
  useListSeen(shown);

  const views: Array<[ListView, ReactNode]> = [
    ['all', <FormattedMessage key="all" id="list.view.all" defaultMessage="All calls" />],
    ['mine', <FormattedMessage key="mine" id="list.view.mine" defaultMessage="My calls" />],
    ['active', <FormattedMessage key="active" id="list.view.active" defaultMessage="Active" />],
  ];

  const sortable = (column: SortColumn, label: ReactNode) => (
    <TableSortLabel
      active={state.sort === column}
      direction={state.sort === column ? state.dir : column === 'id' ? 'asc' : 'desc'}
      onClick={() =>
        update({
          sort: column,
          dir:
            state.sort === column
              ? state.dir === 'asc'
                ? 'desc'
                : 'asc'
              : column === 'id'
                ? 'asc'
                : 'desc',
        })
      }
    >
      {label}
    </TableSortLabel>
  );
  const ariaSort = (column: SortColumn) =>
    state.sort === column ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined;

  const row = (call: Call, match?: boolean) => (
    <TableRow
      key={`${match ? 'match' : 'row'}-${call.id}`}
      hover
      selected={match}
      onClick={(event) => {
        // The id cell's link handles its own clicks (and modifier keys).
        if ((event.target as HTMLElement).closest('a')) return;
        void navigate(`/calls/${call.id}`);
      }}
      sx={{ cursor: 'pointer' }}
    >
      <TableCell>
        <Link
          href={`/calls/${call.id}`}
          aria-label={intl.formatMessage(
            { id: 'list.open', defaultMessage: 'Open call {id}' },
            { id: String(call.id) },
          )}
        >
          {call.id}
        </Link>
        {match && (
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
            <FormattedMessage id="list.idMatch" defaultMessage="Call ID" />
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <StatusChip status={call.status} />
      </TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>
        <PhoneNumber value={call.end_user_number} />
      </TableCell>
      <TableCell sx={{ ...hideOnXs, overflowWrap: 'anywhere' }}>
        {call.agent_info?.name ?? call.agent_email ?? ''}
      </TableCell>
      <TableCell sx={hideBelowMd}>{words.callType(call.call_type)}</TableCell>
      <TableCell sx={hideOnXs}>
        <time dateTime={call.created_at} title={format.dateTime(call.created_at)}>
          {format.relative(call.created_at, now)}
        </time>
      </TableCell>
      <TableCell sx={hideBelowMd}>
        {call.updated_at && (
          <time dateTime={call.updated_at} title={format.dateTime(call.updated_at)}>
            {format.relative(call.updated_at, now)}
          </time>
        )}
      </TableCell>
      <TableCell sx={{ ...hideOnXs, whiteSpace: 'nowrap' }}>
        <CallDuration call={call} now={now} />
      </TableCell>
    </TableRow>
  );

  const columns = 8;
  return (
    <Stack spacing={2}>
      <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <PageHeading sx={{ flexGrow: 1 }}>{title}</PageHeading>
        <Button variant="contained" href="/calls/new">
          <FormattedMessage id="nav.newCall" defaultMessage="New call" />
        </Button>
      </Stack>
      <Box
        component="nav"
        aria-label={intl.formatMessage({ id: 'list.views', defaultMessage: 'Views' })}
        sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}
      >
        {views.map(([view, label]) => (
          <Button
            key={view}
            size="small"
            variant={state.view === view ? 'contained' : 'outlined'}
            aria-current={state.view === view ? 'page' : undefined}
            onClick={() => update({ view })}
          >
            {label}
          </Button>
        ))}
      </Box>
      <Box
        role="search"
        aria-label={intl.formatMessage({ id: 'list.filters', defaultMessage: 'Filter calls' })}
        sx={{
          display: 'grid',
          gap: 1,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', sm: '2fr 1fr 1fr' },
        }}
      >
        <TextField
          label={intl.formatMessage({
            id: 'list.search',
            defaultMessage: 'Search by call ID or number',
          })}
          type="search"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          slotProps={{ htmlInput: { maxLength: 40 } }}
        />
        <TextField
          select
          label={intl.formatMessage({ id: 'list.status', defaultMessage: 'Status' })}
          value={state.status}
          onChange={(e) => update({ status: e.target.value })}
          slotProps={nativeSelect}
        >
          <option value="">
            {intl.formatMessage({ id: 'list.anyStatus', defaultMessage: 'All statuses' })}
          </option>
          {STATUS_GROUPS.map((group) => (
            <optgroup key={group} label={words.statusGroup(group)}>
              <option value={`group:${group}`}>
                {intl.formatMessage(
                  { id: 'list.groupAll', defaultMessage: '{group}: any' },
                  { group: words.statusGroup(group) },
                )}
              </option>
              {STATUSES_OF[group].length > 1 &&
                STATUSES_OF[group].map((s) => (
                  <option key={s} value={s}>
                    {words.status(s)}
                  </option>
                ))}
            </optgroup>
          ))}
        </TextField>
        <TextField
          select
          label={intl.formatMessage({ id: 'list.callType', defaultMessage: 'Call type' })}
          value={state.callType}
          onChange={(e) => update({ callType: e.target.value })}
          slotProps={nativeSelect}
        >
          <option value="">
            {intl.formatMessage({ id: 'list.anyType', defaultMessage: 'All types' })}
          </option>
          {CALL_TYPES.map((t) => (
            <option key={t} value={t}>
              {words.callType(t)}
            </option>
          ))}
        </TextField>
      </Box>
      {noAgent && (
        <Alert severity="info">
          <FormattedMessage id="list.noAgent" defaultMessage="Sign in to see your calls." />
        </Alert>
      )}
      {unsearchable && (
        <Alert severity="info">
          <FormattedMessage
            id="list.unsearchable"
            defaultMessage="Search by a call ID (e.g. 42) or by digits of a number (e.g. 555 0199)."
          />
        </Alert>
      )}
      {query.isError && !nothingToAsk && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={() => void query.refetch()}>
              <FormattedMessage id="error.retry" defaultMessage="Try again" />
            </Button>
          }
        >
          {page ? (
            <FormattedMessage
              id="list.refreshFailed"
              defaultMessage="The list could not be refreshed:"
            />
          ) : (
            <FormattedMessage id="list.loadFailed" defaultMessage="Calls could not be loaded:" />
          )}{' '}
          <ErrorDescription error={query.error} />
        </Alert>
      )}
      <Paper variant="outlined">
        <TableContainer>
          <Table size="small" aria-label={title} aria-busy={query.isFetching}>
            <TableHead>
              <TableRow>
                <TableCell aria-sort={ariaSort('id')}>
                  {sortable('id', <FormattedMessage id="list.col.call" defaultMessage="Call" />)}
                </TableCell>
                <TableCell>
                  <FormattedMessage id="list.col.status" defaultMessage="Status" />
                </TableCell>
                <TableCell>
                  <FormattedMessage id="list.col.customer" defaultMessage="Customer" />
                </TableCell>
                <TableCell sx={hideOnXs}>
                  <FormattedMessage id="list.col.agent" defaultMessage="Agent" />
                </TableCell>
                <TableCell sx={hideBelowMd}>
                  <FormattedMessage id="list.col.type" defaultMessage="Type" />
                </TableCell>
                <TableCell sx={hideOnXs} aria-sort={ariaSort('created_at')}>
                  {sortable(
                    'created_at',
                    <FormattedMessage id="list.col.created" defaultMessage="Created" />,
                  )}
                </TableCell>
                <TableCell sx={hideBelowMd} aria-sort={ariaSort('updated_at')}>
                  {sortable(
                    'updated_at',
                    <FormattedMessage id="list.col.changed" defaultMessage="Last change" />,
                  )}
                </TableCell>
                <TableCell sx={hideOnXs}>
                  <FormattedMessage id="list.col.duration" defaultMessage="Duration" />
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {found && row(found, true)}
              {query.isPending &&
                !nothingToAsk &&
                Array.from({ length: 5 }, (_, i) => (
                  <TableRow key={`skeleton-${i}`}>
                    <TableCell colSpan={columns}>
                      <Placeholder />
                    </TableCell>
                  </TableRow>
                ))}
              {calls.map((call) => row(call))}
              {shown && calls.length === 0 && !found && (
                <TableRow>
                  <TableCell colSpan={columns}>
                    <Box sx={{ py: 3, textAlign: 'center' }}>
                      <Typography>
                        {filtered ? (
                          <FormattedMessage
                            id="list.noMatch"
                            defaultMessage="No calls match these filters."
                          />
                        ) : (
                          <FormattedMessage id="list.empty" defaultMessage="No calls yet." />
                        )}
                      </Typography>
                      {filtered ? (
                        <Button
                          onClick={() => {
                            setSearchText('');
                            update({ status: '', callType: '', q: '', view: 'all' });
                          }}
                        >
                          <FormattedMessage id="list.clearFilters" defaultMessage="Clear filters" />
                        </Button>
                      ) : (
                        <Button href="/calls/new">
                          <FormattedMessage id="list.createOne" defaultMessage="Create a call" />
                        </Button>
                      )}
                    </Box>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <ListPagination
          count={page?.total ?? 0}
          page={state.page}
          per={state.per}
          perOptions={[...new Set<number>([...PER_PAGE_OPTIONS, state.per])].sort((a, b) => a - b)}
          onPage={(next) => update({ page: next })}
          onPer={(per) => update({ per })}
        />
      </Paper>
    </Stack>
  );
}
