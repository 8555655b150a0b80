import Chip from '@mui/material/Chip';
import { statusColor, statusLabel } from './call-labels.ts';

export function StatusChip({
  status,
  size = 'small',
}: {
  status: string;
  size?: 'small' | 'medium';
}) {
  return (
    <Chip
      label={statusLabel(status)}
      color={statusColor(status)}
      size={size}
      data-status={status}
    />
  );
}
