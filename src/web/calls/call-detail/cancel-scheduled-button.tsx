import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useCancelScheduledCall } from './use-call-actions.ts';

export function CancelScheduledButton({ callId }: { callId: number }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelScheduledCall(callId);
  return (
    <>
      <Button
        variant="outlined"
        color="error"
        size="small"
        disabled={cancel.isPending}
        onClick={() => setOpen(true)}
      >
        <FormattedMessage id="cancel.button" defaultMessage="Cancel scheduled call" />
      </Button>
      {/* Closing gives the focus back to the button (MUI); after Yes, the heading takes it. */}
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="cancel-call-title">
        <DialogTitle id="cancel-call-title">
          <FormattedMessage
            id="cancel.title"
            defaultMessage="Cancel call {id}?"
            values={{ id: String(callId) }}
          />
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            <FormattedMessage
              id="cancel.body"
              defaultMessage="The customer will not be called at the scheduled time."
            />
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>
            <FormattedMessage id="cancel.keep" defaultMessage="Keep it" />
          </Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setOpen(false);
              cancel.mutate();
            }}
          >
            <FormattedMessage id="cancel.confirm" defaultMessage="Yes, cancel it" />
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
