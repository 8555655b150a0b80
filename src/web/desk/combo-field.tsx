import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useIntl } from 'react-intl';
import { useController, type FieldValues } from 'react-hook-form';
import { FieldError } from './field-error.tsx';
import type { ComboFieldProps } from './field-types.ts';

// The combo field once its suggestions have loaded (form-fields.tsx renders it).

export function ComboAutocomplete<T extends FieldValues>({
  control,
  name,
  label,
  helperText,
  options,
  inputMode,
  autoComplete,
  format,
}: ComboFieldProps<T>) {
  const { field, fieldState } = useController({ control, name });
  const intl = useIntl();
  const value = String(field.value ?? '');
  const byValue = new Map(options.map((o) => [o.value, o]));
  return (
    <Autocomplete<string, false, false, true>
      freeSolo
      clearText={intl.formatMessage({ id: 'combo.clear', defaultMessage: 'Clear' })}
      openText={intl.formatMessage({ id: 'combo.open', defaultMessage: 'Open' })}
      closeText={intl.formatMessage({ id: 'combo.close', defaultMessage: 'Close' })}
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
          helperText={
            fieldState.error ? <FieldError message={fieldState.error.message} /> : helperText
          }
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
