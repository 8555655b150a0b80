import type { MessageDescriptor } from 'react-intl';

/**
 * A table of messages from `defineMessages` whose entries take values: react-intl types a
 * defined message as taking none unless each one's values are spelled out, so the table
 * is handed on as plain descriptors (formatMessage then takes any values).
 */
export function valueMessages<T extends Record<string, MessageDescriptor>>(
  table: T,
): { readonly [K in keyof T]: MessageDescriptor } {
  return table;
}
