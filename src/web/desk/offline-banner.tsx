import Alert from '@mui/material/Alert';
import { useSyncExternalStore } from 'react';
import { FormattedMessage } from 'react-intl';

function subscribe(listener: () => void) {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

const isOnline = () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false);

function useOnline(): boolean {
  return useSyncExternalStore(subscribe, isOnline, () => true);
}

export function OfflineBanner() {
  const online = useOnline();
  if (online) return null;
  return (
    <Alert severity="warning" role="status" square sx={{ borderRadius: 0 }}>
      <FormattedMessage
        id="offline.banner"
        defaultMessage="You are offline. What you type is kept; the desk catches up when the connection returns."
      />
    </Alert>
  );
}
