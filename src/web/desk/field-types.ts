import type { ReactNode } from 'react';
import type { Control, FieldPath, FieldValues } from 'react-hook-form';

// The props the form adapter's fields share (form-fields.tsx, combo-field.tsx).

export type BaseProps<T extends FieldValues> = {
  control: Control<T>;
  name: FieldPath<T>;
  label: string;
  helperText?: ReactNode;
};

export interface PickerOption {
  value: string;
  label: string;
  /** A second line: a name, a state, why it cannot be chosen. */
  detail?: string;
  disabled?: boolean;
}

export interface ComboFieldProps<T extends FieldValues> extends BaseProps<T> {
  options: PickerOption[];
  inputMode?: 'text' | 'email' | 'tel';
  autoComplete?: string;
  /** Rewrites what is typed (e.g. phone formatting); returns the text to keep. */
  format?: (text: string) => string;
}
