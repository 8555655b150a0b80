import { describe, expect, it } from 'vitest';
import { CallSchema } from '../../../contract/calls.ts';
import { testFormat, testIntl } from '../../test/intl.tsx';
import { callWords } from '../common/call-words.ts';
import { buildTimeline, phaseTotals } from './build-timeline.ts';

const intl = testIntl();
const tools = { intl, words: callWords(intl), format: testFormat(intl) };
const NOW = Date.parse('2026-01-01T10:10:00.000Z');

// A real tenant's call carries no `events`: the timeline comes from its timestamps.
const base = {
  id: 1,
  call_type: 'Voice Inbound (API)',
  status: 'failed',
  created_at: '2026-01-01T10:00:00.000Z',
  queued_at: '2026-01-01T10:00:01.000Z',
  assigned_at: '2026-01-01T10:00:31.000Z',
  connected_at: '2026-01-01T10:00:40.000Z',
  ends_at: '2026-01-01T10:05:40.000Z',
  fail_reason: 'voip_conn_timeout',
  menu_path: { items_count: 1, name: 'Main Line', materialized_path: '7' },
  agent_info: { id: 2, name: 'Avery Agent' },
  transfers: [
    {
      id: 3,
      status: 'failed',
      fail_reason: 'transfer_expired',
      created_at: '2026-01-01T10:01:00.000Z',
      ended_at: '2026-01-01T10:01:30.000Z',
      from_agent: { id: 2, name: 'Avery Agent' },
      to_menu: { items_count: 1, name: 'Billing', materialized_path: '20' },
    },
  ],
};

describe('buildTimeline', () => {
  it('derives the steps of a call without events from its timestamps and transfers', () => {
    const steps = buildTimeline(CallSchema.parse(base), tools, NOW);
    expect(steps.map((s) => s.label)).toEqual([
      'Created',
      'Queued',
      'Assigned',
      'Connected',
      'Transfer started',
      'Transfer failed: Transfer expired',
      'Failed: Voice connection timed out',
    ]);
    expect(steps.map((s) => s.sincePrevious)).toEqual([undefined, 1, 30, 9, 20, 30, 250]);
    expect(steps[4]!.detail).toBe('Avery Agent → menu Billing');
    // To scale: waiting until connected, then talking until the end.
    expect(phaseTotals(steps)).toEqual({ wait: 40, talk: 300, hold: 0, scheduled: 0 });
  });

  it('uses the call’s own events when it has them, and keeps unknown kinds as they came', () => {
    const steps = buildTimeline(
      CallSchema.parse({
        ...base,
        status: 'connected',
        events: [
          {
            type: 'created',
            at: '2026-01-01T10:00:00.000Z',
            status: 'queued',
            detail: 'Inbound via Main Line',
          },
          { type: 'hold', at: '2026-01-01T10:02:00.000Z', status: 'connected', detail: null },
          {
            type: 'resume',
            at: '2026-01-01T10:02:30.000Z',
            status: 'connected',
            detail: 'on hold 30 s',
          },
          {
            type: 'customer_flag',
            at: '2026-01-01T10:02:40.000Z',
            status: 'connected',
            detail: 'verified_customer on, bad_actor off',
          },
          { type: 'teleport', at: '2026-01-01T10:03:00.000Z', status: 'connected', detail: null },
        ],
      }),
      tools,
      NOW,
    );
    expect(steps.map((s) => s.label)).toEqual([
      'Created',
      'On hold',
      'Resumed',
      'Customer flags changed',
      'teleport',
    ]);
    expect(steps[2]!.sincePrevious).toBe(30);
    // Every step in words: how long the hold lasted, which flags changed.
    expect(steps[2]!.detail).toBe('After 30 sec on hold');
    expect(steps[3]!.detail).toBe('Verified customer: on · Bad actor: off');
    expect(steps.map((s) => s.phase)).toEqual(['wait', 'hold', 'talk', 'talk', 'wait']);
  });

  it('says the same in Spanish', () => {
    const es = testIntl('es');
    const steps = buildTimeline(
      CallSchema.parse(base),
      { intl: es, words: callWords(es), format: testFormat(es) },
      NOW,
    );
    expect(steps.map((s) => s.label)).toContain('Creada');
    expect(steps.at(-1)!.label).toBe('Fallida: Se agotó el tiempo de la conexión de voz');
  });
});
