import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import { useSyncExternalStore } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { liveFeedState, onLiveFeedState, type LiveState } from './live-status.ts';

/** How the desk's live feed stands, re-rendering when it changes. */
function useLiveFeedState(): LiveState {
  return useSyncExternalStore(onLiveFeedState, liveFeedState, () => 'connecting' as const);
}

/**
 * Said while the live feed is down after it was up: the desk still shows the latest it
 * read, and reads again every few seconds until the feed is back.
 */
export function LiveBanner() {
  const state = useLiveFeedState();
  if (state !== 'reconnecting') return null;
  return (
    <Alert severity="info" role="status" square sx={{ borderRadius: 0 }}>
      <FormattedMessage
        id="live.reconnecting"
        defaultMessage="Reconnecting… Changes may take a few seconds to show until the live connection is back."
      />
    </Alert>
  );
}

/**
 * Beside the desk's name, while changes show as they happen. Not "Live", which the call
 * page says of a call still under way.
 */
export function LiveIndicator() {
  const state = useLiveFeedState();
  const intl = useIntl();
  if (state !== 'live') return null;
  return (
    <Chip
      role="status"
      size="small"
      color="success"
      variant="outlined"
      label={intl.formatMessage({ id: 'live.upToDate', defaultMessage: 'Up to date' })}
      title={intl.formatMessage({
        id: 'live.upToDate.title',
        defaultMessage: 'Changes show here as they happen',
      })}
    />
  );
}
