import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState, type BaseSyntheticEvent } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import { useForm } from 'react-hook-form';
import { useNavigate, useSearchParams } from 'react-router';
import { fieldForApiError } from '../../../contract/api-errors.ts';
import type { Accepted, Call } from '../../../contract/calls.ts';
import type { CreateOutcome } from '../../../contract/desk.ts';
import type { CreateCallRequest } from '../../../contract/call-requests.ts';
import { isCallApiError } from '../../lib/api-error.ts';
import { useCurrentAgent } from '../../desk/current-agent.tsx';
import { useDeskEvents } from '../../desk/desk-events.tsx';
import { useNotify } from '../../desk/notifications.tsx';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { callQueries } from '../api/call-queries.ts';
import {
  clearDraft,
  emptyCallFormValues,
  formFieldFor,
  prefillFromSearch,
  readDraft,
  toCreateRequest,
  writeDraft,
  type CallFormValues,
  type NewCallKind,
} from './call-form-values.ts';
import { lazyCallFormResolver, usePreloadCallFormChecks } from './use-call-form-checks.ts';

/** A 202: the server wants the agent to choose a number before it places the call. */
export interface PendingChoice {
  accepted: Accepted;
  request: CreateCallRequest;
}

/** A create the tenant did not answer in time: the desk's server looks for the call. */
function outcomeOf(error: unknown): CreateOutcome | undefined {
  if (!isCallApiError(error) || (error.status !== 504 && error.status !== 409)) return undefined;
  const outcome = (error.body as { outcome?: CreateOutcome } | null)?.outcome;
  return outcome && typeof outcome.id === 'string' ? outcome : undefined;
}

/** While the desk checks, it asks the server again every second. */
const OUTCOME_POLL_MS = 1_000;

/**
 * Why a create failed, as the form keeps it: the API's own text (the form shows it in the
 * agent's words, with this text under them), or the desk's words where no answer came.
 */
function messageFor(error: unknown, intl: IntlShape): string {
  if (isCallApiError(error)) {
    if (error.isNetworkError) {
      return intl.formatMessage({
        id: 'form.unreachable',
        defaultMessage:
          'The server could not be reached. What you typed is kept: try again when the connection is back.',
      });
    }
    return error.message;
  }
  return error instanceof Error
    ? error.message
    : intl.formatMessage({
        id: 'form.createFailed',
        defaultMessage: 'The call could not be created.',
      });
}

export function useNewCallForm(kind: NewCallKind) {
  const client = useCallApiClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notify = useNotify();
  const events = useDeskEvents();
  const { email: signedIn, mayActForOthers } = useCurrentAgent();
  const [searchParams, setSearchParams] = useSearchParams();
  const intl = useIntl();

  const [start] = useState(() => {
    // A dial from the embedding host is a new call: what an earlier draft held must not mix in.
    const draft = kind === 'outbound' && searchParams.has('dial') ? {} : readDraft(kind);
    const prefill = prefillFromSearch(kind, searchParams);
    // The agent signed in places the call; only a role that may act for others names another.
    const agentFor = (typed: string | undefined, agent = signedIn) =>
      agent !== '' && !mayActForOthers ? agent : (typed ?? agent);
    /** The form as the address and the agent fill it in, with no draft. */
    const fresh = (agent = signedIn) => {
      const values = { ...emptyCallFormValues(), ...prefill };
      if (kind === 'outbound') values.agent_email = agentFor(prefill.agent_email, agent);
      return values;
    };
    const values: CallFormValues = { ...fresh(), ...draft, ...prefill };
    if (kind === 'outbound')
      values.agent_email = agentFor(prefill.agent_email ?? draft.agent_email);
    // What came back from an earlier attempt, beyond what the address or the agent fill in.
    // (Agent email is the desk's to fill in: the signed-in agent.)
    const restored = (Object.keys(draft) as Array<keyof CallFormValues>).some(
      (key) =>
        key !== 'agent_email' &&
        draft[key] !== undefined &&
        draft[key] !== fresh()[key] &&
        prefill[key] === undefined,
    );
    return { values, fresh, restored };
  });
  const defaultValues = start.values;
  const [restoredDraft, setRestoredDraft] = useState(start.restored);
  // Checked with the contract's schemas, which load after the form has painted: a submit
  // before then waits for them (busy meanwhile), so nothing unchecked is sent.
  const [resolver] = useState(() => lazyCallFormResolver(kind));
  const form = useForm<CallFormValues>({ defaultValues, resolver, mode: 'onTouched' });
  usePreloadCallFormChecks();

  // Keep a draft of every keystroke: a failed submit, a lost connection or a reload loses nothing.
  useEffect(() => {
    writeDraft(kind, form.getValues());
    return form.subscribe({
      formState: { values: true },
      callback: ({ values }) => writeDraft(kind, values),
    });
  }, [form, kind]);

  // The signed-in agent fills Agent email once the session is known (and on a change of
  // agent), unless one who may act for others typed someone else there.
  const previousAgent = useRef(signedIn);
  useEffect(() => {
    const previous = previousAgent.current;
    previousAgent.current = signedIn;
    // Not known yet (or the server is out of reach): the server decides when the call is sent.
    if (kind !== 'outbound' || signedIn === '') return;
    const current = form.getValues('agent_email');
    if (!mayActForOthers ? current !== signedIn : current === '' || current === previous)
      form.setValue('agent_email', signedIn, { shouldDirty: true });
  }, [signedIn, mayActForOthers, form, kind]);

  const [choice, setChoice] = useState<PendingChoice | null>(null);
  const mutation = useMutation({
    mutationFn: (request: CreateCallRequest) => client.createCall(request),
  });
  const inFlight = useRef(false);

  // A create whose answer never came: nothing more is sent until the server knows whether
  // the call was placed (then the desk goes on to it) or not (then the agent may try again).
  const [pending, setPending] = useState<CreateOutcome | null>(null);
  const checked = useQuery({
    queryKey: ['create-outcome', pending?.id] as const,
    queryFn: ({ signal }) => client.createOutcome(pending!.id, signal),
    enabled: pending !== null,
    refetchInterval: (query) => (query.state.data?.state === 'checking' ? OUTCOME_POLL_MS : false),
  });
  const outcome = pending && checked.data?.id === pending.id ? checked.data : pending;
  const checking = outcome?.state === 'checking';
  const placedCallId = outcome?.state === 'placed' ? outcome.call_id : null;
  const goToPlaced = useEffectEvent(async (id: number) => {
    try {
      await created(await queryClient.fetchQuery(callQueries.detail(client, id)));
    } catch (error) {
      form.setError('root.server', { type: 'server', message: messageFor(error, intl) });
    }
  });
  useEffect(() => {
    if (placedCallId !== null) void goToPlaced(placedCallId);
  }, [placedCallId]);

  async function created(call: Call): Promise<void> {
    setPending(null);
    queryClient.setQueryData(callQueries.detail(client, call.id).queryKey, call);
    void queryClient.invalidateQueries({ queryKey: callQueries.lists() });
    clearDraft(kind);
    events.emit({ type: 'call.created', call });
    notify(
      intl.formatMessage(
        { id: 'form.created', defaultMessage: 'Call {id} created' },
        { id: String(call.id) },
      ),
    );
    // flushSync: the call page replaces the form in one synchronous render, not in a
    // transition that waits behind the list refetch and the notification.
    await navigate(`/calls/${call.id}`, { flushSync: true });
  }

  async function send(request: CreateCallRequest): Promise<void> {
    // One request at a time, whatever clicks, keys or a bridge ask for; none while the
    // desk checks whether the last one placed a call.
    if (inFlight.current || checking) return;
    inFlight.current = true;
    form.clearErrors('root');
    setPending(null);
    try {
      const result = await mutation.mutateAsync(request);
      if (result.status === 202) {
        setChoice({ accepted: result.accepted, request });
        return;
      }
      await created(result.call);
    } catch (error) {
      events.emit({ type: 'call.create_failed', message: messageFor(error, intl) });
      const unknown = outcomeOf(error);
      if (unknown) {
        setPending(unknown);
        form.setError('root.server', { type: 'server', message: messageFor(error, intl) });
        return;
      }
      if (isCallApiError(error) && error.status === 400) {
        const field = formFieldFor(kind, fieldForApiError(error.message));
        if (field) {
          form.setError(field, { type: 'server', message: error.message }, { shouldFocus: true });
          return;
        }
      }
      form.setError('root.server', { type: 'server', message: messageFor(error, intl) });
    } finally {
      inFlight.current = false;
    }
  }

  // handleSubmit is bound when the form is submitted, not during render.
  const submit = (event?: BaseSyntheticEvent) =>
    form.handleSubmit(
      async (values) => {
        setChoice(null);
        await send(toCreateRequest(kind, values));
      },
      (errors) => {
        const first = Object.values(errors).find((e) => typeof e?.message === 'string');
        events.emit({
          type: 'call.create_failed',
          message: String(
            first?.message ??
              intl.formatMessage({
                id: 'form.incomplete',
                defaultMessage: 'The form is not complete',
              }),
          ),
        });
      },
    )(event);

  /** The agent picked a number in the 202 dialog: keep it in the form and ask again. */
  async function choose(number: string): Promise<void> {
    if (!choice) return;
    const { accepted, request } = choice;
    setChoice(null);
    if ('outbound_numbers' in accepted) {
      form.setValue('outbound_number', number, { shouldDirty: true });
      await send({ ...request, outbound_number: number } as CreateCallRequest);
    } else {
      form.setValue('end_user_number', number, { shouldDirty: true });
      await send({
        ...request,
        end_user_number: number,
        ticket_id: accepted.ticket_id,
      } as CreateCallRequest);
    }
  }

  // A link (or the embedding bridge) may ask to place the call at once: ?create=1.
  const autoCreate = useRef(searchParams.get('create') === '1');
  const createAtOnce = useEffectEvent(() => {
    const create = autoCreate.current;
    if (!create && !searchParams.has('dial')) return;
    autoCreate.current = false;
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        next.delete('create');
        next.delete('dial');
        return next;
      },
      { replace: true },
    );
    if (create) void submit();
  });
  useEffect(() => createAtOnce(), []);

  /** Drops the restored draft: the form starts again from what the address and the agent say. */
  function discardDraft() {
    clearDraft(kind);
    form.reset(start.fresh(signedIn));
    setRestoredDraft(false);
  }

  return {
    form,
    submit,
    restoredDraft,
    discardDraft,
    keepDraft: () => setRestoredDraft(false),
    busy: form.formState.isSubmitting || mutation.isPending || checking,
    /** What became of a create the tenant did not answer in time, while it matters. */
    outcome,
    choice,
    choose,
    dismissChoice: () => setChoice(null),
    // Once the desk knows the call was not placed, that (not "it may have been") is what it says.
    serverError:
      outcome?.state === 'not_placed' ? undefined : form.formState.errors.root?.server?.message,
  };
}
