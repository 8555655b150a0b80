import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useState } from 'react';
import { useCancelScheduledCall } from './use-call-actions.ts';

export function CancelScheduledButton({ callId }: { callId: number }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelScheduledCall(callId);
  return (
    <>
      <Button
        variant="outlined"
        color="error"
        disabled={cancel.isPending}
        onClick={() => setOpen(true)}
      >
        Cancel scheduled call
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="cancel-call-title">
        <DialogTitle id="cancel-call-title">Cancel call {callId}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The customer will not be called at the scheduled time.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Keep it</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setOpen(false);
              cancel.mutate();
            }}
          >
            Yes, cancel it
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
