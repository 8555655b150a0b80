import TextField from '@mui/material/TextField';
import { useQuery } from '@tanstack/react-query';
import type { CountryCode } from 'libphonenumber-js/min';
import { useState } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useController, useWatch, type Control } from 'react-hook-form';
import {
  MENU_TYPES_FOR,
  RECORDING_PERMISSIONS,
  type CallType,
} from '../../../contract/call-constants.ts';
import type { DirectoryMenu } from '../../../contract/directory.ts';
import { languageName } from '../../../contract/languages.ts';
import {
  FieldError,
  FormComboField,
  FormSelectField,
  FormTextField,
  type PickerOption,
} from '../../desk/form-fields.tsx';
import { useDeskFormat } from '../../desk/format.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { useCurrentAgent } from '../../desk/current-agent.tsx';
import { directoryQueries } from '../api/directory-queries.ts';
import { useCallWords, type CallWords } from '../common/call-words.ts';
import { parseLocalInput, toLocalInput, type CallFormValues } from './call-form-values.ts';
import { loadCallFormChecks, useCallFormChecks } from './use-call-form-checks.ts';

// The inputs of the new-call forms, each bound to its field by the one adapter and, where
// the tenant's directory knows the choices, fed by it.

type FieldProps = { control: Control<CallFormValues> };

function regionName(country: CountryCode | undefined, locale: string): string | undefined {
  if (!country) return undefined;
  try {
    return new Intl.DisplayNames(locale, { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

/** The agent's IANA time zone, e.g. "Europe/Berlin". */
function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function AgentEmailField({ control }: FieldProps) {
  const { mayActForOthers } = useCurrentAgent();
  return mayActForOthers ? <AgentPicker control={control} /> : <OwnAgentEmail control={control} />;
}

/** The signed-in agent places the call: shown, not chosen (the server refuses anyone else). */
function OwnAgentEmail({ control }: FieldProps) {
  const { field } = useController({ control, name: 'agent_email' });
  return (
    <TextField
      label="Agent email"
      value={field.value}
      name={field.name}
      slotProps={{ input: { readOnly: true }, inputLabel: { shrink: true } }}
      helperText="You place the call: the agent signed in"
      fullWidth
    />
  );
}

function AgentPicker({ control }: FieldProps) {
  const client = useCallApiClient();
  const intl = useIntl();
  const agents = useQuery(directoryQueries.agents(client));
  const options: PickerOption[] = (agents.data ?? []).map((agent) => ({
    value: agent.email,
    label: agent.name ? `${agent.name} (${agent.email})` : agent.email,
    detail: [
      intl.formatMessage(
        {
          id: 'agent.status',
          defaultMessage:
            '{status, select, available {Available} unavailable {Unavailable} other {{status}}}',
        },
        { status: agent.status },
      ),
      agent.can_make_calls
        ? null
        : intl.formatMessage({ id: 'agent.cannotCall', defaultMessage: 'cannot make calls' }),
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  return (
    <FormComboField
      control={control}
      name="agent_email"
      label={intl.formatMessage({ id: 'form.agentEmail', defaultMessage: 'Agent email' })}
      options={options}
      inputMode="email"
      helperText={intl.formatMessage({
        id: 'form.agentEmail.hint',
        defaultMessage: 'The agent who places the call (you by default)',
      })}
    />
  );
}

export function EndUserNumberField({ control, required }: FieldProps & { required?: boolean }) {
  const { field, fieldState } = useController({ control, name: 'end_user_number' });
  // libphonenumber comes with the form's checks, just after the first paint: until then the
  // hint is the general one and what is typed is formatted once it is there.
  const checks = useCallFormChecks();
  const intl = useIntl();
  const parsed = checks?.parsePhone(field.value);
  const region = parsed ? regionName(checks?.phoneCountry(field.value), intl.locale) : undefined;
  const hint = parsed
    ? `${parsed.international}${region ? ` · ${region}` : ''}`
    : intl.formatMessage({
        id: 'form.endUserNumber.hint',
        defaultMessage: 'With the country code, e.g. +1 205 123 4567',
      });
  return (
    <TextField
      name={field.name}
      label={intl.formatMessage({ id: 'form.endUserNumber', defaultMessage: 'End user number' })}
      type="tel"
      value={field.value}
      inputRef={field.ref}
      onBlur={field.onBlur}
      onChange={(event) => {
        const input = event.target;
        const raw = input.value;
        const atEnd = input.selectionStart === null || input.selectionStart === raw.length;
        const growing = raw.length > field.value.length;
        if (!atEnd || !growing) return field.onChange(raw);
        if (checks) return field.onChange(checks.formatPhoneAsTyped(raw));
        field.onChange(raw);
        // Typed before the formatter arrived: format once it is there, unless the agent has
        // typed on meanwhile (that keystroke formats then).
        loadCallFormChecks().then(
          ({ formatPhoneAsTyped }) => {
            const formatted = formatPhoneAsTyped(raw);
            if (input.value === raw && formatted !== raw) field.onChange(formatted);
          },
          () => {},
        );
      }}
      error={Boolean(fieldState.error)}
      helperText={fieldState.error ? <FieldError message={fieldState.error.message} /> : hint}
      // aria-required, not `required`: MUI's asterisk would become part of the label text.
      slotProps={{
        htmlInput: {
          inputMode: 'tel',
          autoComplete: 'off',
          maxLength: 40,
          'aria-required': required,
        },
      }}
    />
  );
}

export function TicketIdField({ control }: FieldProps) {
  const intl = useIntl();
  return (
    <FormTextField
      control={control}
      name="ticket_id"
      label={intl.formatMessage({ id: 'form.ticketId', defaultMessage: 'Ticket ID' })}
      helperText={intl.formatMessage({
        id: 'form.ticketId.hint',
        defaultMessage: 'The CRM ticket; its contact’s number is used when it has one',
      })}
      slotProps={{ htmlInput: { autoComplete: 'off', maxLength: 200 } }}
    />
  );
}

export function OutboundNumberField({ control }: FieldProps) {
  const client = useCallApiClient();
  const intl = useIntl();
  const format = useDeskFormat();
  const settings = useQuery(directoryQueries.settings(client));
  const agents = useQuery(directoryQueries.agents(client));
  const agentEmail = useWatch({ control, name: 'agent_email' });
  const agent = agents.data?.find((a) => a.email === agentEmail);
  const assigned = agent?.outbound_numbers ?? [];
  const numbers = [...new Set([...assigned, ...(settings.data?.outbound_numbers ?? [])])];
  const options: PickerOption[] = numbers.map((number) => ({
    value: number,
    label: format.phone(number),
    detail: [
      assigned.includes(number)
        ? intl.formatMessage({
            id: 'form.outbound.assigned',
            defaultMessage: 'Assigned to the agent',
          })
        : null,
      number === settings.data?.default_outbound_number
        ? intl.formatMessage({ id: 'form.outbound.default', defaultMessage: 'Tenant default' })
        : null,
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  return (
    <FormComboField
      control={control}
      name="outbound_number"
      label={intl.formatMessage({ id: 'form.outboundNumber', defaultMessage: 'Outbound number' })}
      options={options}
      inputMode="tel"
      helperText={intl.formatMessage({
        id: 'form.outboundNumber.hint',
        defaultMessage:
          'The number the customer sees; leave empty for the agent’s or the tenant’s default',
      })}
    />
  );
}

export function LanguageField({ control }: FieldProps) {
  const client = useCallApiClient();
  const intl = useIntl();
  const settings = useQuery(directoryQueries.settings(client));
  const options: PickerOption[] = (settings.data?.languages ?? []).map((code) => ({
    value: code,
    label: `${languageName(code)} (${code})`,
  }));
  return (
    <FormComboField
      control={control}
      name="lang"
      label={intl.formatMessage({ id: 'form.language', defaultMessage: 'Language' })}
      options={options}
      helperText={intl.formatMessage({
        id: 'form.language.hint',
        defaultMessage: 'The customer’s language, as a two-letter code; English (en) when empty',
      })}
    />
  );
}

function menuTrail(menu: DirectoryMenu, all: DirectoryMenu[]): string {
  const names: string[] = [];
  const seen = new Set<number>();
  let current: DirectoryMenu | undefined = menu;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    const parentId: number | null = current.parent_id;
    current = parentId === null ? undefined : all.find((m) => m.id === parentId);
  }
  return names.join(' › ');
}

function closedReason(intl: IntlShape, state: string, words: CallWords): string {
  if (state === 'after_hours') {
    return intl.formatMessage({
      id: 'menu.closed.after_hours',
      defaultMessage: 'After hours: takes no calls now',
    });
  }
  if (state === 'manual_redirection') {
    return intl.formatMessage({
      id: 'menu.closed.manual_redirection',
      defaultMessage: 'Redirected: takes no calls now',
    });
  }
  return words.menuState(state);
}

/** Menus of the types this call type accepts; closed ones stay listed, disabled, with why. */
function menuOptions(
  menus: DirectoryMenu[],
  callType: CallType,
  intl: IntlShape,
  words: CallWords,
): PickerOption[] {
  const accepted = MENU_TYPES_FOR[callType as keyof typeof MENU_TYPES_FOR] ?? [];
  return menus
    .filter((menu) => !menu.deleted && accepted.includes(menu.menu_type))
    .map((menu) => {
      const open = menu.state === 'open';
      return {
        value: String(menu.id),
        label: menuTrail(menu, menus),
        detail: `${words.menuType(menu.menu_type)} · ${open ? words.menuState('open') : closedReason(intl, menu.state, words)}`,
        disabled: !open,
      };
    });
}

export function MenuField({
  control,
  callType,
  required,
}: FieldProps & { callType: CallType; required?: boolean }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const words = useCallWords();
  const menus = useQuery(directoryQueries.menus(client));
  return (
    <FormSelectField
      control={control}
      name="menu_id"
      label={intl.formatMessage({ id: 'form.menu', defaultMessage: 'Menu' })}
      options={menuOptions(menus.data ?? [], callType, intl, words)}
      emptyLabel={
        required
          ? undefined
          : intl.formatMessage({
              id: 'form.menu.none',
              defaultMessage: 'None (use the parent call’s menu)',
            })
      }
      helperText={
        menus.isError
          ? intl.formatMessage({
              id: 'form.menu.failed',
              defaultMessage: 'Menus could not be loaded',
            })
          : menus.isPending
            ? intl.formatMessage({ id: 'form.menu.loading', defaultMessage: 'Loading menus…' })
            : undefined
      }
    />
  );
}

export function RecordingPermissionField({ control }: FieldProps) {
  const intl = useIntl();
  const words = useCallWords();
  return (
    <FormSelectField
      control={control}
      name="recording_permission"
      label={intl.formatMessage({
        id: 'form.recordingPermission',
        defaultMessage: 'Recording permission',
      })}
      emptyLabel={intl.formatMessage({
        id: 'form.recordingPermission.none',
        defaultMessage: 'Not given',
      })}
      options={RECORDING_PERMISSIONS.map((value) => ({
        value,
        label: words.recordingPermission(value),
      }))}
      helperText={intl.formatMessage({
        id: 'form.recordingPermission.hint',
        defaultMessage: 'Applies where the menu asks for permission to record',
      })}
    />
  );
}

export function ParentCallIdField({ control }: FieldProps) {
  const intl = useIntl();
  return (
    <FormTextField
      control={control}
      name="call_id"
      label={intl.formatMessage({ id: 'form.parentCallId', defaultMessage: 'Parent call ID' })}
      helperText={intl.formatMessage({
        id: 'form.parentCallId.hint',
        defaultMessage:
          'An earlier call this one follows up; its menu is used when no menu is chosen',
      })}
      slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off', maxLength: 15 } }}
    />
  );
}

export function ScheduledAtField({ control }: FieldProps) {
  const { field, fieldState } = useController({ control, name: 'scheduled_at' });
  const number = useWatch({ control, name: 'end_user_number' });
  // The earliest minute that can still be chosen; refreshed when the field is focused.
  const [min, setMin] = useState(() => toLocalInput(new Date(Date.now() + 60_000)));
  const intl = useIntl();
  const at = parseLocalInput(field.value);
  const customer = useCallFormChecks()?.customerTime(at, number, intl.locale);
  const zone = agentTimeZone();
  return (
    <TextField
      name={field.name}
      label={intl.formatMessage({ id: 'form.scheduledAt', defaultMessage: 'Scheduled at' })}
      type="datetime-local"
      value={field.value}
      inputRef={field.ref}
      onChange={field.onChange}
      onBlur={field.onBlur}
      onFocus={() => setMin(toLocalInput(new Date(Date.now() + 60_000)))}
      error={Boolean(fieldState.error)}
      helperText={
        fieldState.error ? (
          <FieldError message={fieldState.error.message} />
        ) : (
          <>
            <FormattedMessage
              id="form.scheduledAt.zone"
              defaultMessage="In your time zone ({zone})."
              values={{ zone }}
            />
            {customer ? (
              <>
                {' '}
                <FormattedMessage
                  id="form.scheduledAt.customer"
                  defaultMessage="{range, select, yes {For the customer ({where}): between {first} and {last}, depending on the region.} other {For the customer ({where}): {first}.}}"
                  values={{
                    range: customer.last ? 'yes' : 'no',
                    where: customer.where,
                    first: customer.first,
                    last: customer.last ?? '',
                  }}
                />
              </>
            ) : null}
          </>
        )
      }
      slotProps={{
        inputLabel: { shrink: true },
        htmlInput: { min, step: 60, 'aria-required': true },
      }}
    />
  );
}
