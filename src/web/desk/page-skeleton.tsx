import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';

export function PageSkeleton({ label = 'Loading' }: { label?: string }) {
  return (
    <Stack spacing={1.5} role="progressbar" aria-label={label} aria-busy="true" sx={{ py: 1 }}>
      <Skeleton variant="text" width="40%" height={40} />
      <Skeleton variant="rounded" height={56} />
      <Skeleton variant="rounded" height={56} />
      <Skeleton variant="rounded" height={160} />
    </Stack>
  );
}
