import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import { lazy, memo, Suspense } from 'react';
import type { Control } from 'react-hook-form';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiErrorText } from '../../desk/api-error-text.tsx';
import { CALL_TYPE_FOR, type CallFormValues, type NewCallKind } from './call-form-values.ts';
import {
  AgentEmailField,
  EndUserNumberField,
  LanguageField,
  MenuField,
  OutboundNumberField,
  ParentCallIdField,
  RecordingPermissionField,
  ScheduledAtField,
  TicketIdField,
} from './call-form-fields.tsx';
import { useNewCallForm } from './use-new-call-form.ts';

// Only a 202 (the server asks for a number) opens it: not part of the form's first load.
const ChooseNumberDialog = lazy(async () => ({
  default: (await import('./choose-number-dialog.tsx')).ChooseNumberDialog,
}));

/** One form per call type, each with the inputs that type takes (CALL-API.md). */
export function NewCallForm({ kind }: { kind: NewCallKind }) {
  const {
    form,
    submit,
    busy,
    choice,
    choose,
    dismissChoice,
    serverError,
    outcome,
    restoredDraft,
    discardDraft,
    keepDraft,
  } = useNewCallForm(kind);
  const { control } = form;
  const intl = useIntl();
  return (
    <Box
      component="form"
      noValidate
      aria-label={intl.formatMessage(
        {
          id: 'form.name',
          defaultMessage:
            '{kind, select, outbound {New outbound call} inbound {New inbound call} other {New scheduled call}}',
        },
        { kind },
      )}
      aria-busy={busy}
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <Stack spacing={2} sx={{ maxWidth: 560 }}>
        {restoredDraft && (
          <Alert
            severity="info"
            role="status"
            action={
              <>
                <Button color="inherit" size="small" onClick={keepDraft}>
                  <FormattedMessage id="draft.keep" defaultMessage="Keep" />
                </Button>
                <Button color="inherit" size="small" onClick={discardDraft}>
                  <FormattedMessage id="draft.clear" defaultMessage="Clear" />
                </Button>
              </>
            }
          >
            <FormattedMessage
              id="draft.restored"
              defaultMessage="What you typed in an earlier try is back. Check it, or clear the form."
            />
          </Alert>
        )}
        {serverError && (
          <Alert
            severity={outcome?.state === 'checking' ? 'info' : 'error'}
            role="alert"
            icon={
              outcome?.state === 'checking' ? (
                <CircularProgress size={20} color="inherit" aria-hidden />
              ) : undefined
            }
          >
            <ApiErrorText text={serverError} />
          </Alert>
        )}
        {outcome?.state === 'not_placed' && (
          <Alert severity="warning" role="alert">
            <FormattedMessage
              id="form.notPlaced"
              defaultMessage="The desk has checked: that call was not placed. You can try again."
            />
          </Alert>
        )}
        <CallFormFields kind={kind} control={control} />
        <Box>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            startIcon={
              busy ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined
            }
          >
            <FormattedMessage id="form.create" defaultMessage="Create call" />
          </Button>
        </Box>
      </Stack>
      {choice && (
        <Suspense fallback={null}>
          <ChooseNumberDialog
            choice={choice}
            onChoose={(number) => void choose(number)}
            onClose={dismissChoice}
          />
        </Suspense>
      )}
    </Box>
  );
}

/**
 * The inputs, apart from the form's own state: each field follows its value through
 * react-hook-form, so a submit (busy, then the call's page) does not render them all again.
 */
const CallFormFields = memo(function CallFormFields({
  kind,
  control,
}: {
  kind: NewCallKind;
  control: Control<CallFormValues>;
}) {
  const callType = CALL_TYPE_FOR[kind];
  return (
    <>
      {kind === 'outbound' && (
        <>
          <AgentEmailField control={control} />
          <EndUserNumberField control={control} />
          <TicketIdField control={control} />
          <OutboundNumberField control={control} />
          <LanguageField control={control} />
        </>
      )}
      {kind === 'inbound' && (
        <>
          <MenuField control={control} callType={callType} required />
          <EndUserNumberField control={control} required />
          <TicketIdField control={control} />
          <LanguageField control={control} />
          <RecordingPermissionField control={control} />
          <OutboundNumberField control={control} />
        </>
      )}
      {kind === 'scheduled' && (
        <>
          <MenuField control={control} callType={callType} />
          <ParentCallIdField control={control} />
          <EndUserNumberField control={control} required />
          <ScheduledAtField control={control} />
          <TicketIdField control={control} />
          <LanguageField control={control} />
          <RecordingPermissionField control={control} />
          <OutboundNumberField control={control} />
        </>
      )}
    </>
  );
});
