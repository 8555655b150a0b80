import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

export function NotFoundPage() {
  return (
    <Stack spacing={2} sx={{ py: 4, alignItems: 'flex-start' }}>
      <Typography variant="h5" component="h1">
        Page not found
      </Typography>
      <Typography color="text.secondary">There is nothing at this address.</Typography>
      <Button variant="contained" href="/calls">
        Go to calls
      </Button>
    </Stack>
  );
}
