import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useColorScheme } from '@mui/material/styles';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { DESK_LOCALES, useDeskLocale, type DeskLocale } from '../desk/locale.tsx';

// The agent's own settings in the app bar: language, light or dark, desktop notifications.

const nativeSelect = { select: { native: true }, inputLabel: { shrink: true } } as const;
const selectSx = { minWidth: 120, maxWidth: { xs: '100%', sm: 180 } } as const;

/** Each language named in itself: whoever does not read the current one finds theirs. */
const LANGUAGE_NAMES: Readonly<Record<DeskLocale, string>> = { en: 'English', es: 'Español' };

export function LanguagePicker() {
  const intl = useIntl();
  const { locale, setLocale, switching } = useDeskLocale();
  return (
    <TextField
      select
      size="small"
      fullWidth={false}
      label={intl.formatMessage({ id: 'shell.language', defaultMessage: 'Desk language' })}
      value={locale}
      onChange={(event) => setLocale(event.target.value as DeskLocale)}
      disabled={switching}
      slotProps={nativeSelect}
      sx={selectSx}
    >
      {DESK_LOCALES.map((code) => (
        <option key={code} value={code} lang={code}>
          {LANGUAGE_NAMES[code]}
        </option>
      ))}
    </TextField>
  );
}

export function ThemePicker() {
  const intl = useIntl();
  const { mode, setMode } = useColorScheme();
  return (
    <TextField
      select
      size="small"
      fullWidth={false}
      label={intl.formatMessage({ id: 'shell.theme', defaultMessage: 'Theme' })}
      value={mode ?? 'system'}
      onChange={(event) => setMode(event.target.value as 'system' | 'light' | 'dark')}
      slotProps={nativeSelect}
      sx={selectSx}
    >
      <option value="system">
        {intl.formatMessage({ id: 'shell.theme.system', defaultMessage: 'As the system' })}
      </option>
      <option value="light">
        {intl.formatMessage({ id: 'shell.theme.light', defaultMessage: 'Light' })}
      </option>
      <option value="dark">
        {intl.formatMessage({ id: 'shell.theme.dark', defaultMessage: 'Dark' })}
      </option>
    </TextField>
  );
}

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks once for desktop notifications of new queued calls; says where things stand. */
export function NotificationsToggle() {
  const intl = useIntl();
  const [permission, setPermission] = useState<Permission>(currentPermission);
  if (permission === 'unsupported' || permission === 'granted') return null;
  if (permission === 'denied') return null;
  return (
    <Button
      size="small"
      startIcon={<NotificationsActiveIcon />}
      onClick={() => {
        void Notification.requestPermission().then(setPermission, () => {});
      }}
    >
      {intl.formatMessage({
        id: 'shell.notify',
        defaultMessage: 'Notify me of new calls',
      })}
    </Button>
  );
}
