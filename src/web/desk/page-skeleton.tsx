import Stack from '@mui/material/Stack';
import { useIntl } from 'react-intl';
import { Placeholder } from './placeholder.tsx';

export function PageSkeleton({ label }: { label?: string }) {
  const intl = useIntl();
  return (
    <Stack
      spacing={1.5}
      role="progressbar"
      aria-label={label ?? intl.formatMessage({ id: 'loading.page', defaultMessage: 'Loading' })}
      aria-busy="true"
      sx={{ py: 1 }}
    >
      <Placeholder width="40%" height={32} />
      <Placeholder height={56} rounded />
      <Placeholder height={56} rounded />
      <Placeholder height={160} rounded />
    </Stack>
  );
}
