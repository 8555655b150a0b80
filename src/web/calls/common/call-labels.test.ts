import { describe, expect, it } from 'vitest';
import { CALL_STATUSES, FAIL_REASONS } from '../../../contract/calls.ts';
import { failReasonLabel, statusColor, statusLabel } from './call-labels.ts';

describe('labels', () => {
  it('names every known status and fail reason, and shows unknown ones as they came', () => {
    for (const s of CALL_STATUSES) expect(statusLabel(s)).not.toBe(s);
    for (const r of FAIL_REASONS) expect(failReasonLabel(r)).not.toBe(r);
    expect(statusLabel('warp_speed')).toBe('warp_speed');
    expect(statusColor('warp_speed')).toBe('default');
    expect(failReasonLabel('eu_teleported')).toBe('eu_teleported');
    expect(statusLabel('__proto__')).toBe('__proto__');
  });
});
