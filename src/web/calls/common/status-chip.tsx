import Chip from '@mui/material/Chip';
import { statusColor, useCallWords } from './call-words.ts';

export function StatusChip({
  status,
  size = 'small',
}: {
  status: string;
  size?: 'small' | 'medium';
}) {
  const words = useCallWords();
  return (
    <Chip
      label={words.status(status)}
      color={statusColor(status)}
      size={size}
      data-status={status}
      // The service's own word, for support and for a status the desk does not know yet.
      title={status}
    />
  );
}
