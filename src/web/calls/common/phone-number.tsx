import Box from '@mui/material/Box';
import { useDeskFormat } from '../../desk/format.ts';
import { useLoadPhoneFormat } from '../../lib/phone-format.ts';

/** A phone number in the desk's one format, written left to right in any language. */
export function PhoneNumber({ value }: { value: string | null | undefined }) {
  const format = useDeskFormat();
  useLoadPhoneFormat();
  if (!value) return null;
  return (
    <Box component="span" dir="ltr" sx={{ whiteSpace: 'nowrap' }} title={value}>
      {format.phone(value)}
    </Box>
  );
}
