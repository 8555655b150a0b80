import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { afterPaintWhenIdle } from '../lib/idle.ts';
import type * as ComboModule from './combo-field.tsx';
import { useController, type FieldValues } from 'react-hook-form';
import type { BaseProps, ComboFieldProps, PickerOption } from './field-types.ts';
import { FieldError } from './field-error.tsx';

// The one adapter between react-hook-form and MUI inputs: each binds a field by name,
// shows its error as helper text (client or server: the checks speak the API's own texts)
// in the agent's words with the API's text under them, and keeps the label as the
// input's accessible name.

export function FormTextField<T extends FieldValues>({
  control,
  name,
  label,
  helperText,
  ...rest
}: BaseProps<T> &
  Omit<TextFieldProps, 'name' | 'label' | 'value' | 'defaultValue' | 'helperText'>) {
  const { field, fieldState } = useController({ control, name });
  return (
    <TextField
      {...rest}
      name={field.name}
      value={field.value ?? ''}
      onChange={rest.onChange ?? field.onChange}
      onBlur={field.onBlur}
      inputRef={field.ref}
      label={label}
      error={Boolean(fieldState.error)}
      helperText={fieldState.error ? <FieldError message={fieldState.error.message} /> : helperText}
    />
  );
}

/** A select of known values; disabled options stay visible with the reason in `detail`. */
export function FormSelectField<T extends FieldValues>({
  control,
  name,
  label,
  helperText,
  options,
  emptyLabel,
  ...rest
}: BaseProps<T> & {
  options: PickerOption[];
  /** When set, an empty choice with this text comes first. */
  emptyLabel?: string;
} & Omit<TextFieldProps, 'name' | 'label' | 'value' | 'defaultValue' | 'helperText' | 'select'>) {
  const { field, fieldState } = useController({ control, name });
  const value = String(field.value ?? '');
  const known = options.some((o) => o.value === value);
  return (
    <TextField
      {...rest}
      select
      name={field.name}
      value={value}
      onChange={field.onChange}
      onBlur={field.onBlur}
      inputRef={field.ref}
      label={label}
      error={Boolean(fieldState.error)}
      helperText={fieldState.error ? <FieldError message={fieldState.error.message} /> : helperText}
    >
      {emptyLabel !== undefined && (
        <MenuItem value="">
          <em>{emptyLabel}</em>
        </MenuItem>
      )}
      {/* A value from a draft or a link that the directory no longer lists stays selectable. */}
      {!known && value !== '' && <MenuItem value={value}>{value}</MenuItem>}
      {options.map((option) => (
        <MenuItem key={option.value} value={option.value} disabled={option.disabled}>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="body2" noWrap>
              {option.label}
            </Typography>
            {option.detail && (
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ display: 'block', whiteSpace: 'normal' }}
              >
                {option.detail}
              </Typography>
            )}
          </Box>
        </MenuItem>
      ))}
    </TextField>
  );
}

// The suggestions (MUI's Autocomplete and Popper) are a chunk of their own, fetched once
// the form has painted: until then, and while the agent types in it, the field is a plain
// input with the same label, value and errors.
let combo: typeof ComboModule | undefined;
let comboLoading: Promise<typeof ComboModule> | undefined;
const comboListeners = new Set<() => void>();
function loadCombo() {
  comboLoading ??= import('./combo-field.tsx').then(
    (module) => {
      combo = module;
      for (const listener of [...comboListeners]) listener();
      return module;
    },
    (error: unknown) => {
      comboLoading = undefined;
      throw error;
    },
  );
  return comboLoading;
}
function subscribeCombo(listener: () => void) {
  comboListeners.add(listener);
  return () => {
    comboListeners.delete(listener);
  };
}

/**
 * Free text with suggestions: the agent may pick a known value or type any other (the
 * server is the judge, and says so under the field).
 */
export function FormComboField<T extends FieldValues>(props: ComboFieldProps<T>) {
  const module = useSyncExternalStore(
    subscribeCombo,
    () => combo,
    () => combo,
  );
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    if (!combo) return afterPaintWhenIdle(() => void loadCombo().catch(() => {}));
  }, []);
  if (module && !typing) return <module.ComboAutocomplete {...props} />;
  return <PlainComboField {...props} onTyping={setTyping} />;
}

function PlainComboField<T extends FieldValues>({
  control,
  name,
  label,
  helperText,
  inputMode,
  autoComplete,
  format,
  onTyping,
}: ComboFieldProps<T> & { onTyping: (typing: boolean) => void }) {
  const { field, fieldState } = useController({ control, name });
  return (
    <TextField
      name={field.name}
      label={label}
      value={field.value ?? ''}
      inputRef={field.ref}
      onChange={(event) => field.onChange(format ? format(event.target.value) : event.target.value)}
      onFocus={() => {
        onTyping(true);
        void loadCombo().catch(() => {});
      }}
      onBlur={() => {
        field.onBlur();
        onTyping(false);
      }}
      error={Boolean(fieldState.error)}
      helperText={fieldState.error ? <FieldError message={fieldState.error.message} /> : helperText}
      slotProps={{
        htmlInput: {
          // The same role as once the suggestions are there: one control, whatever loaded.
          role: 'combobox',
          'aria-expanded': false,
          'aria-autocomplete': 'list',
          inputMode,
          autoComplete: autoComplete ?? 'off',
        },
      }}
    />
  );
}

export { FieldError };
export type { PickerOption };
