import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { defineMessages, FormattedMessage, useIntl } from 'react-intl';
import type { SignInError } from '../../contract/desk.ts';
import { useDeskAuth, type SignInOutcome } from './auth.tsx';
import { useDocumentTitle } from './document-title.ts';

// What the desk shows while nobody is signed in: why (when a sign-in was refused) and the
// **Sign in** button. In a tab the button goes to the company's sign-in and back; inside a
// CRM frame it opens that sign-in in a popup (identity providers refuse to be framed).

const REASONS = defineMessages({
  expired: {
    id: 'signIn.expired',
    defaultMessage: 'The sign-in took too long or was started elsewhere. Sign in again.',
  },
  cancelled: { id: 'signIn.cancelled', defaultMessage: 'The sign-in was cancelled.' },
  idp_error: {
    id: 'signIn.idp_error',
    defaultMessage:
      'The identity provider did not sign you in. Try again, or ask your administrator.',
  },
  idp_unreachable: {
    id: 'signIn.idp_unreachable',
    defaultMessage:
      'The identity provider cannot be reached just now. Try again in a moment, or ask your administrator.',
  },
  not_verified: {
    id: 'signIn.not_verified',
    defaultMessage:
      'Your identity provider has not verified your e-mail address, so the desk cannot tell which agent you are. Ask your administrator.',
  },
  no_agent: {
    id: 'signIn.no_agent',
    defaultMessage:
      'You signed in, but your e-mail address is not an agent of this contact center. Sign in with your work account, or ask your administrator to add you.',
  },
  agent_disabled: {
    id: 'signIn.agent_disabled',
    defaultMessage:
      'Your agent account is disabled in this contact center. Ask your administrator.',
  },
  tenant_unreachable: {
    id: 'signIn.tenant_unreachable',
    defaultMessage:
      'The contact center cannot be reached just now, so the desk cannot check your agent account. Try again in a moment.',
  },
  popup_blocked: {
    id: 'signIn.popup_blocked',
    defaultMessage:
      'The browser blocked the sign-in window. Allow pop-ups for this page, or open the desk in a tab of its own.',
  },
  closed: {
    id: 'signIn.closed',
    defaultMessage: 'The sign-in window was closed before you signed in.',
  },
  failed: { id: 'signIn.failed', defaultMessage: 'The sign-in could not be completed. Try again.' },
});
// Every reason the server or the popup gives has its words.
const _everyReason: Record<SignInError | 'popup_blocked' | 'closed' | 'failed', unknown> = REASONS;

/**
 * A reason the server gives in `/sign-in?error=`. Read from the table above, not from the
 * contract's list: that module carries zod, which must stay out of every page's first load.
 */
function isKnownReason(value: string | null): value is SignInError {
  return (
    value !== null &&
    Object.hasOwn(REASONS, value) &&
    !['popup_blocked', 'closed', 'failed'].includes(value)
  );
}

export interface SignInPageProps {
  /** Inside a CRM's frame: sign in through a popup. */
  framed: boolean;
  /** Where to come back to after signing in (a tab). */
  returnTo: string;
  /** Why an earlier sign-in was refused (`/sign-in?error=…`). */
  error?: string | null;
  /** The session ended while the desk was open. */
  ended?: boolean;
}

export function SignInPage({ framed, returnTo, error = null, ended = false }: SignInPageProps) {
  const auth = useDeskAuth();
  const intl = useIntl();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SignInOutcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useDocumentTitle(intl.formatMessage({ id: 'signIn.title', defaultMessage: 'Sign in' }));

  const reason = outcome && !outcome.ok ? outcome.reason : isKnownReason(error) ? error : null;

  async function signIn() {
    if (!framed) {
      window.location.assign(auth.signInHref(returnTo));
      return;
    }
    setBusy(true);
    const result = await auth.signInWithPopup();
    setOutcome(result);
    setBusy(false);
    if (result.ok) await queryClient.invalidateQueries({ queryKey: ['session'] });
  }

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', py: { xs: 2, sm: 6 } }}>
      <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 480, width: '100%' }}>
        <Stack spacing={2}>
          <Typography
            variant="h5"
            component="h1"
            tabIndex={-1}
            ref={heading}
            sx={{ '&:focus': { outline: 'none' } }}
          >
            <FormattedMessage id="signIn.heading" defaultMessage="Sign in to Switchboard" />
          </Typography>
          {ended && !reason && (
            <Alert severity="info">
              <FormattedMessage
                id="signIn.ended"
                defaultMessage="Your session has ended. Sign in to go on."
              />
            </Alert>
          )}
          {reason && (
            <Alert severity={reason === 'cancelled' || reason === 'closed' ? 'info' : 'warning'}>
              {intl.formatMessage(REASONS[reason])}
            </Alert>
          )}
          <Typography color="text.secondary">
            <FormattedMessage
              id="signIn.body"
              defaultMessage="Sign in with your contact center’s account. The desk then acts as you, and only as you."
            />
          </Typography>
          <Box>
            <Button variant="contained" size="large" onClick={() => void signIn()} disabled={busy}>
              <FormattedMessage id="signIn.button" defaultMessage="Sign in" />
            </Button>
          </Box>
          {framed && (
            <Typography variant="body2" color="text.secondary">
              {busy ? (
                <FormattedMessage
                  id="signIn.popupOpen"
                  defaultMessage="Finish signing in in the window that opened."
                />
              ) : (
                <FormattedMessage
                  id="signIn.popupNote"
                  defaultMessage="Sign-in opens in a small window of its own."
                />
              )}{' '}
              <Link href="/calls" target="_blank" rel="noopener">
                <FormattedMessage id="signIn.openTab" defaultMessage="Open the desk in a tab" />
              </Link>
            </Typography>
          )}
        </Stack>
      </Paper>
    </Box>
  );
}
