import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import type { PendingChoice } from './use-new-call-form.ts';

/**
 * The server answered 202: it needs the agent to choose an outbound number, or one of the
 * ticket contact's numbers. Choosing sends the same request again with that number.
 */
export function ChooseNumberDialog({
  choice,
  onChoose,
  onClose,
}: {
  choice: PendingChoice | null;
  onChoose: (number: string) => void;
  onClose: () => void;
}) {
  const accepted = choice?.accepted;
  const outbound = accepted !== undefined && 'outbound_numbers' in accepted;
  const numbers = accepted
    ? 'outbound_numbers' in accepted
      ? accepted.outbound_numbers
      : accepted.phone_numbers
    : [];
  const title = outbound ? 'Choose an outbound number' : "Choose the customer's number";
  return (
    <Dialog
      open={choice !== null}
      onClose={onClose}
      aria-labelledby="choose-number-title"
      fullWidth
      maxWidth="xs"
    >
      <DialogTitle id="choose-number-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {accepted?.message}
          {accepted && 'ticket_id' in accepted ? ` (ticket ${accepted.ticket_id})` : ''}
        </DialogContentText>
        <List aria-label={outbound ? 'Outbound numbers' : 'Ticket phone numbers'}>
          {numbers.map((number) => (
            // A list holds list items: the button goes inside one.
            <ListItem key={number} disablePadding>
              <ListItemButton onClick={() => onChoose(number)}>
                <ListItemText
                  primary={number}
                  secondary={outbound ? 'Call from this number' : 'Call this number'}
                />
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
      </DialogActions>
    </Dialog>
  );
}
