import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { useIntl } from 'react-intl';
import type { Call } from '../../../contract/calls.ts';
import type { CustomerFlags, CustomerFlagsPatch } from '../../../contract/customer-flags.ts';
import type { CallEventRequest } from '../../../contract/emulator.ts';
import { useDeskEvents } from '../../desk/desk-events.tsx';
import { useNotify } from '../../desk/notifications.tsx';
import { ErrorDescription } from '../../desk/error-boundaries.tsx';
import { useFocusPageHeading } from '../../desk/page-focus.tsx';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { callQueries } from '../api/call-queries.ts';

/** Customer flags: shown changed at once, saved with PATCH, rolled back if the server refuses. */
export function useUpdateCustomerFlags(callId: number) {
  const client = useCallApiClient();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const intl = useIntl();
  const events = useDeskEvents();
  const { queryKey } = callQueries.flags(client, callId);
  return useMutation({
    mutationFn: (patch: CustomerFlagsPatch) => client.updateCustomerFlags(callId, patch),
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<CustomerFlags>(queryKey);
      if (previous) queryClient.setQueryData<CustomerFlags>(queryKey, { ...previous, ...patch });
      return { previous };
    },
    onError: (error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      notify(
        createElement(
          'span',
          null,
          intl.formatMessage({
            id: 'flag.notSaved',
            defaultMessage: 'The change was not saved:',
          }),
          ' ',
          createElement(ErrorDescription, { error }),
        ),
        'error',
      );
    },
    onSuccess: (flags) => {
      queryClient.setQueryData(queryKey, flags);
      // The call's `verified` mirrors verified_customer.
      queryClient.setQueryData<Call>(callQueries.detail(client, callId).queryKey, (call) =>
        call ? { ...call, verified: flags.verified_customer } : call,
      );
      events.emit({ type: 'customer_flag.changed', id: callId, flags });
      void queryClient.invalidateQueries({
        queryKey: callQueries.history(client, callId).queryKey,
      });
    },
  });
}

export function useCancelScheduledCall(callId: number) {
  const client = useCallApiClient();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const intl = useIntl();
  const events = useDeskEvents();
  const focusHeading = useFocusPageHeading();
  return useMutation({
    mutationFn: () => client.cancelScheduledCall(callId),
    onSuccess: async (result) => {
      events.emit({ type: 'call.changed', id: callId });
      if (result.status === 200)
        queryClient.setQueryData(callQueries.detail(client, callId).queryKey, result.call);
      // The button that opened the dialog is gone with the scheduled state: the focus goes
      // to the page's heading, not to <body>.
      focusHeading();
      await queryClient.invalidateQueries({ queryKey: callQueries.all() });
      notify(
        intl.formatMessage(
          { id: 'call.cancelled', defaultMessage: 'Call {id} cancelled' },
          { id: String(callId) },
        ),
      );
    },
    onError: (error) => notify(createElement(ErrorDescription, { error }), 'error'),
  });
}

/** Simulate: send the call an emulator event and show the call after it. */
export function useSendCallEvent(callId: number) {
  const client = useCallApiClient();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const events = useDeskEvents();
  return useMutation({
    mutationFn: (event: CallEventRequest) => client.emulator.sendEvent(callId, event),
    onSuccess: (call) => {
      queryClient.setQueryData(callQueries.detail(client, callId).queryKey, call);
      void queryClient.invalidateQueries({ queryKey: callQueries.lists() });
      events.emit({ type: 'call.changed', id: callId });
    },
    onError: (error) => notify(createElement(ErrorDescription, { error }), 'error'),
  });
}
