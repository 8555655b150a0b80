import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useIntl } from 'react-intl';

// One snackbar for the whole desk, so a message survives the navigation that follows it
// ("Call 12 created" shows on the call's page).

type Severity = 'success' | 'info' | 'warning' | 'error';
interface Note {
  key: number;
  message: ReactNode;
  severity: Severity;
}

type Notify = (message: ReactNode, severity?: Severity) => void;

const NotifyContext = createContext<Notify>(() => {});

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [note, setNote] = useState<Note | null>(null);
  const [open, setOpen] = useState(false);
  const intl = useIntl();
  const notify = useCallback<Notify>((message, severity = 'success') => {
    setNote({ key: Date.now(), message, severity });
    setOpen(true);
  }, []);
  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext value={value}>
      {children}
      <Snackbar
        key={note?.key}
        open={open}
        autoHideDuration={6000}
        onClose={(_event, reason) => {
          if (reason !== 'clickaway') setOpen(false);
        }}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert
          severity={note?.severity ?? 'info'}
          variant="filled"
          onClose={() => setOpen(false)}
          closeText={intl.formatMessage({ id: 'notification.close', defaultMessage: 'Close' })}
          sx={{ width: '100%' }}
        >
          {note?.message}
        </Alert>
      </Snackbar>
    </NotifyContext>
  );
}

export function useNotify(): Notify {
  return useContext(NotifyContext);
}
