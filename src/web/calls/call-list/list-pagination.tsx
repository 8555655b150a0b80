import FirstPageIcon from '@mui/icons-material/FirstPage';
import KeyboardArrowLeftIcon from '@mui/icons-material/KeyboardArrowLeft';
import KeyboardArrowRightIcon from '@mui/icons-material/KeyboardArrowRight';
import LastPageIcon from '@mui/icons-material/LastPage';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import NativeSelect from '@mui/material/NativeSelect';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useIntl } from 'react-intl';

// The list's pager: rows per page, where the page is, first/previous/next/last. MUI's
// TablePagination would do, but it brings Tooltip and Popper into the list's first load
// (docs/performance.md, "Desk"); this is the same controls with the same names.

export function ListPagination({
  count,
  page,
  per,
  perOptions,
  onPage,
  onPer,
}: {
  count: number;
  /** 1-based. */
  page: number;
  per: number;
  perOptions: readonly number[];
  onPage: (page: number) => void;
  onPer: (per: number) => void;
}) {
  const intl = useIntl();
  const id = useId();
  const last = Math.max(1, Math.ceil(count / per));
  const current = Math.min(Math.max(1, page), last);
  const from = count === 0 ? 0 : (current - 1) * per + 1;
  const to = Math.min(count, current * per);
  const go = (type: 'first' | 'previous' | 'next' | 'last') =>
    intl.formatMessage(
      {
        id: 'list.pageButton',
        defaultMessage:
          '{type, select, first {Go to first page} last {Go to last page} next {Go to next page} other {Go to previous page}}',
      },
      { type },
    );
  return (
    <Box
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        justifyContent: 'flex-end',
        columnGap: 2,
        rowGap: 0.5,
        px: 1,
        py: 0.5,
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="body2" component="label" htmlFor={`${id}-per`}>
          {intl.formatMessage({ id: 'list.rowsPerPage', defaultMessage: 'Rows per page:' })}
        </Typography>
        <NativeSelect
          id={`${id}-per`}
          value={per}
          onChange={(event) => onPer(Number(event.target.value))}
          variant="standard"
          disableUnderline
          sx={{ fontSize: '0.875rem' }}
        >
          {perOptions.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </NativeSelect>
      </Box>
      <Typography variant="body2" role="status">
        {intl.formatMessage(
          { id: 'list.displayedRows', defaultMessage: '{from}–{to} of {count}' },
          { from, to, count },
        )}
      </Typography>
      <Box sx={{ display: 'flex' }}>
        <IconButton aria-label={go('first')} disabled={current <= 1} onClick={() => onPage(1)}>
          <FirstPageIcon />
        </IconButton>
        <IconButton
          aria-label={go('previous')}
          disabled={current <= 1}
          onClick={() => onPage(current - 1)}
        >
          <KeyboardArrowLeftIcon />
        </IconButton>
        <IconButton
          aria-label={go('next')}
          disabled={current >= last}
          onClick={() => onPage(current + 1)}
        >
          <KeyboardArrowRightIcon />
        </IconButton>
        <IconButton aria-label={go('last')} disabled={current >= last} onClick={() => onPage(last)}>
          <LastPageIcon />
        </IconButton>
      </Box>
    </Box>
  );
}
