import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useController, type Control, type FieldPath, type FieldValues } from 'react-hook-form';

// The one adapter between react-hook-form and MUI inputs: each binds a field by name,
// shows its error (client or server, in the API's own words) as helper text, and keeps
// the label as the input's accessible name.

type BaseProps<T extends FieldValues> = {
  control: Control<T>;
  name: FieldPath<T>;
  label: string;
  helperText?: ReactNode;
};

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
      helperText={fieldState.error?.message ?? helperText}
    />
  );
}

export interface PickerOption {
  value: string;
  label: string;
  /** A second line: a name, a state, why it cannot be chosen. */
  detail?: string;
  disabled?: boolean;
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
      helperText={fieldState.error?.message ?? helperText}
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

/**
 * Free text with suggestions: the agent may pick a known value or type any other (the
 * server is the judge, and says so under the field).
 */
export function FormComboField<T extends FieldValues>({
  control,
  name,
  label,
  helperText,
  options,
  inputMode,
  autoComplete,
  format,
}: BaseProps<T> & {
  options: PickerOption[];
  inputMode?: 'text' | 'email' | 'tel';
  autoComplete?: string;
  /** Rewrites what is typed (e.g. phone formatting); returns the text to keep. */
  format?: (text: string) => string;
}) {
  const { field, fieldState } = useController({ control, name });
  const value = String(field.value ?? '');
  const byValue = new Map(options.map((o) => [o.value, o]));
  return (
    <Autocomplete<string, false, false, true>
      freeSolo
      options={options.map((o) => o.value)}
      value={value === '' ? null : value}
      inputValue={value}
      onInputChange={(_event, next, reason) => {
        if (reason === 'reset' && next === value) return;
        field.onChange(format ? format(next) : next);
      }}
      onChange={(_event, next) => field.onChange(next ?? '')}
      getOptionDisabled={(option) => byValue.get(option)?.disabled ?? false}
      filterOptions={(all, state) => {
        const needle = state.inputValue.trim().toLowerCase();
        if (!needle || byValue.has(state.inputValue)) return all;
        return all.filter((option) => {
          const o = byValue.get(option);
          return `${option} ${o?.label ?? ''} ${o?.detail ?? ''}`.toLowerCase().includes(needle);
        });
      }}
      renderOption={(props, option) => {
        const { key, ...optionProps } = props;
        const o = byValue.get(option);
        return (
          <li key={key} {...optionProps}>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="body2">{o?.label ?? option}</Typography>
              {o?.detail && (
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                  {o.detail}
                </Typography>
              )}
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          name={field.name}
          label={label}
          inputRef={field.ref}
          onBlur={field.onBlur}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message ?? helperText}
          slotProps={{
            ...params.slotProps,
            htmlInput: {
              ...params.slotProps.htmlInput,
              inputMode,
              autoComplete: autoComplete ?? 'off',
            },
          }}
        />
      )}
    />
  );
}
