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
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiErrorText } from '../../desk/api-error-text.tsx';
import { useDeskFormat } from '../../desk/format.ts';
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
  const intl = useIntl();
  const format = useDeskFormat();
  const title = outbound
    ? intl.formatMessage({
        id: 'choose.outboundTitle',
        defaultMessage: 'Choose an outbound number',
      })
    : intl.formatMessage({
        id: 'choose.ticketTitle',
        defaultMessage: 'Choose the customer’s number',
      });
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
          {accepted?.message && <ApiErrorText text={accepted.message} />}
          {accepted && 'ticket_id' in accepted ? (
            <>
              {' '}
              <FormattedMessage
                id="choose.ticket"
                defaultMessage="(ticket {ticket})"
                values={{ ticket: String(accepted.ticket_id) }}
              />
            </>
          ) : null}
        </DialogContentText>
        <List
          aria-label={
            outbound
              ? intl.formatMessage({
                  id: 'choose.outboundList',
                  defaultMessage: 'Outbound numbers',
                })
              : intl.formatMessage({
                  id: 'choose.ticketList',
                  defaultMessage: 'Ticket phone numbers',
                })
          }
        >
          {numbers.map((number) => (
            // A list holds list items: the button goes inside one.
            <ListItem key={number} disablePadding>
              <ListItemButton onClick={() => onChoose(number)}>
                <ListItemText
                  primary={<span dir="ltr">{format.phone(number)}</span>}
                  secondary={
                    outbound
                      ? intl.formatMessage({
                          id: 'choose.callFrom',
                          defaultMessage: 'Call from this number',
                        })
                      : intl.formatMessage({
                          id: 'choose.callThis',
                          defaultMessage: 'Call this number',
                        })
                  }
                />
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>
          <FormattedMessage id="choose.cancel" defaultMessage="Cancel" />
        </Button>
      </DialogActions>
    </Dialog>
  );
}
