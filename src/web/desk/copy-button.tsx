import CheckIcon from '@mui/icons-material/Check';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import IconButton from '@mui/material/IconButton';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';

// Copies a value (a call id, a number, a ticket) to the clipboard, and says so.

export function CopyButton({ value, label }: { value: string; label: string }) {
  const intl = useIntl();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  const said =
    state === 'copied'
      ? intl.formatMessage({ id: 'copy.copied', defaultMessage: 'Copied' })
      : state === 'failed'
        ? intl.formatMessage({
            id: 'copy.failed',
            defaultMessage: 'Could not copy: select the text instead',
          })
        : '';
  return (
    <>
      <IconButton
        size="small"
        aria-label={label}
        title={said || label}
        onClick={() => void copy()}
        sx={{ p: 0.5 }}
      >
        {state === 'copied' ? (
          <CheckIcon fontSize="inherit" color="success" />
        ) : (
          <ContentCopyIcon fontSize="inherit" />
        )}
      </IconButton>
      <span
        role="status"
        style={{
          position: 'absolute',
          width: 1,
          height: 1,
          overflow: 'hidden',
          clip: 'rect(0 0 0 0)',
        }}
      >
        {said}
      </span>
    </>
  );
}
