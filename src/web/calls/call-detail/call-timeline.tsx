import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { defineMessages, useIntl } from 'react-intl';
import type { Call } from '../../../contract/calls.ts';
import { useNow } from '../../desk/clock.ts';
import { useDeskFormat } from '../../desk/format.ts';
import { valueMessages } from '../../lib/message-table.ts';
import { useCallWords } from '../common/call-words.ts';
import { buildTimeline, phaseTotals, type Phase, type StepTone } from './build-timeline.ts';
import { callState } from './call-state.ts';

const DOT: Readonly<Record<StepTone, string>> = {
  neutral: 'text.disabled',
  progress: 'info.main',
  success: 'success.main',
  warning: 'warning.main',
  error: 'error.main',
};

const PHASE_COLOR: Readonly<Record<Exclude<Phase, 'ended'>, string>> = {
  wait: 'info.main',
  talk: 'success.main',
  hold: 'warning.main',
  scheduled: 'secondary.main',
};

const phaseWords = valueMessages(
  defineMessages({
    wait: { id: 'phase.wait', defaultMessage: 'Wait' },
    talk: { id: 'phase.talk', defaultMessage: 'Talk' },
    hold: { id: 'phase.hold', defaultMessage: 'Hold' },
    scheduled: { id: 'phase.scheduled', defaultMessage: 'Scheduled' },
    now: { id: 'timeline.now', defaultMessage: '{state} for {duration} so far' },
    bar: { id: 'timeline.bar', defaultMessage: 'The call to scale' },
  }),
);

/** The call's life: a bar of wait, talk and hold to scale, and each step in words. */
export function CallTimeline({ call }: { call: Call }) {
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const state = callState(call);
  const now = useNow(state.live ? 1000 : null);
  const steps = useMemo(
    () => buildTimeline(call, { intl, words, format }, now),
    [call, intl, words, format, now],
  );
  const totals = phaseTotals(steps);
  const phases = (['scheduled', 'wait', 'talk', 'hold'] as const).filter((p) => totals[p] > 0);
  const whole = phases.reduce((sum, p) => sum + totals[p], 0);
  const longest = Math.max(1, ...steps.map((s) => s.lasted ?? 0));
  return (
    <Stack spacing={1.5}>
      {whole > 0 && (
        <Box>
          <Box
            role="img"
            aria-label={`${intl.formatMessage(phaseWords.bar)}: ${phases
              .map((p) => `${intl.formatMessage(phaseWords[p])} ${format.duration(totals[p])}`)
              .join(', ')}`}
            sx={{ display: 'flex', height: 12, borderRadius: 1, overflow: 'hidden', gap: '2px' }}
          >
            {phases.map((p) => (
              <Box
                key={p}
                data-phase={p}
                sx={{ flexGrow: totals[p], flexBasis: 0, minWidth: 4, bgcolor: PHASE_COLOR[p] }}
              />
            ))}
          </Box>
          <Stack
            direction="row"
            useFlexGap
            aria-hidden
            sx={{ flexWrap: 'wrap', columnGap: 2, mt: 0.5 }}
          >
            {phases.map((p) => (
              <Typography
                key={p}
                variant="caption"
                sx={{ display: 'inline-flex', gap: 0.5, alignItems: 'center' }}
              >
                <Box
                  component="span"
                  sx={{ width: 10, height: 10, borderRadius: '2px', bgcolor: PHASE_COLOR[p] }}
                />
                {intl.formatMessage(phaseWords[p])} {format.duration(totals[p])}
              </Typography>
            ))}
          </Stack>
        </Box>
      )}
      <Box
        component="ol"
        aria-label={intl.formatMessage({ id: 'timeline.list', defaultMessage: 'Timeline' })}
        sx={{ listStyle: 'none', m: 0, p: 0 }}
      >
        {steps.map((step, index) => {
          const isLast = index === steps.length - 1;
          return (
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
                  <Typography
                    variant="body2"
                    color="text.secondary"
                    sx={{ overflowWrap: 'anywhere' }}
                  >
                    {step.detail}
                  </Typography>
                )}
                <Typography variant="caption" color="text.secondary">
                  <time dateTime={step.at} title={format.dateTime(step.at)}>
                    {format.time(step.at)}
                  </time>
                  {step.sincePrevious !== undefined && ` · +${format.duration(step.sincePrevious)}`}
                </Typography>
                {step.lasted !== undefined && step.lasted > 0 && step.phase !== 'ended' && (
                  <Box
                    aria-hidden
                    data-span={step.phase}
                    sx={{
                      mt: 0.5,
                      height: 4,
                      borderRadius: 2,
                      bgcolor: PHASE_COLOR[step.phase],
                      opacity: isLast && state.live ? 1 : 0.6,
                      width: `${Math.max(2, Math.round((step.lasted / longest) * 100))}%`,
                    }}
                  />
                )}
              </Box>
            </Box>
          );
        })}
        {state.live && steps.length > 0 && state.since && (
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
              {intl.formatMessage(phaseWords.now, {
                state: words.status(state.key),
                duration: format.duration(
                  Math.max(0, Math.floor((now - Date.parse(state.since)) / 1000)),
                ),
              })}
            </Typography>
          </Box>
        )}
      </Box>
    </Stack>
  );
}
