import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { isTerminalStatus } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';
import { formatDateTime, formatDuration, formatTime, secondsBetween } from '../../lib/format.ts';
import { statusLabel } from '../common/call-labels.ts';
import { buildTimeline, type StepTone } from './build-timeline.ts';

const DOT: Readonly<Record<StepTone, string>> = {
  neutral: 'text.disabled',
  progress: 'info.main',
  success: 'success.main',
  warning: 'warning.main',
  error: 'error.main',
};

/** The call's life as an ordered list: what happened, when, and how long after the step before. */
export function CallTimeline({ call, now }: { call: Call; now: number }) {
  const steps = buildTimeline(call);
  const live = !isTerminalStatus(call.status);
  const last = steps[steps.length - 1];
  return (
    <Box component="ol" aria-label="Timeline" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {steps.map((step) => (
        <Box
          component="li"
          key={step.key}
          data-kind={step.kind}
          sx={{ display: 'flex', gap: 1.5, pb: 1.5, position: 'relative' }}
        >
          <Box
            aria-hidden
            sx={{
              width: 10,
              height: 10,
              mt: 0.75,
              borderRadius: '50%',
              bgcolor: DOT[step.tone],
              flexShrink: 0,
            }}
          />
          <Box sx={{ minWidth: 0, flex: 1 }}>
            <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {step.label}
            </Typography>
            {step.detail && (
              <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                {step.detail}
              </Typography>
            )}
            <Typography variant="caption" color="text.secondary">
              <time dateTime={step.at} title={formatDateTime(step.at)}>
                {formatTime(step.at)}
              </time>
              {step.sincePrevious !== undefined && ` · +${formatDuration(step.sincePrevious)}`}
            </Typography>
          </Box>
        </Box>
      ))}
      {live && last && (
        <Box component="li" data-kind="now" sx={{ display: 'flex', gap: 1.5 }}>
          <Box
            aria-hidden
            sx={{
              width: 10,
              height: 10,
              mt: 0.75,
              borderRadius: '50%',
              border: 2,
              borderColor: 'primary.main',
              flexShrink: 0,
            }}
          />
          <Typography variant="body2" color="text.secondary">
            {statusLabel(call.status)} for{' '}
            {formatDuration(secondsBetween(last.at, new Date(now).toISOString()))} so far
          </Typography>
        </Box>
      )}
    </Box>
  );
}
