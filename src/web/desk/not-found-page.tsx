import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { FormattedMessage, useIntl } from 'react-intl';
import { useDocumentTitle } from './document-title.ts';
import { PageHeading } from './page-focus.tsx';

export function NotFoundPage() {
  const intl = useIntl();
  useDocumentTitle(intl.formatMessage({ id: 'notFound.title', defaultMessage: 'Page not found' }));
  return (
    <Stack spacing={2} sx={{ py: 4, alignItems: 'flex-start' }}>
      <PageHeading>
        <FormattedMessage id="notFound.title" defaultMessage="Page not found" />
      </PageHeading>
      <Typography color="text.secondary">
        <FormattedMessage
          id="notFound.body"
          defaultMessage="There is nothing at this address. The calls are one click away."
        />
      </Typography>
      <Button variant="contained" href="/calls">
        <FormattedMessage id="notFound.toCalls" defaultMessage="Go to calls" />
      </Button>
    </Stack>
  );
}
