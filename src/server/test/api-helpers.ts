import { expect } from 'vitest';
import type { RawResponse, TestServer } from './test-server.ts';

// What the HTTP tests share: the keys every call object carries, the control API calls
// that put the fixture tenant into each state, and exact-answer assertions.

/** Every key of the seed's call object (seed-call-api.txt, "Call object"). */
const SEED_CALL_KEYS = [
  'id',
  'parent_id',
  'lang',
  'call_type',
  'status',
  'created_at',
  'queued_at',
  'assigned_at',
  'connected_at',
  'ends_at',
  'scheduled_at',
  'wait_duration',
  'call_duration',
  'hold_duration',
  'rating',
  'has_feedback',
  'voip_provider',
  'out_ticket_id',
  'out_ticket_url',
  'verified',
  'recording_url',
  'recording_permission',
  'voicemail_reason',
  'deflection',
  'disconnected_by',
  'fail_details',
  'fail_reason',
  'support_number',
  'selected_menu',
  'menu_path',
  'agent_info',
  'end_user',
  'photos',
  'videos',
  'transfers',
  'participants',
] as const;

/** The keys CALL-API.md adds to the seed's call object. */
const ADDED_CALL_KEYS = [
  'deflection_details',
  'offer_type',
  'offer_events',
  'answer_type',
  'outbound_number',
  'updated_at',
] as const;

const SEED_MENU_KEYS = [
  'id',
  'name',
  'parent_id',
  'position',
  'deleted',
  'hidden',
  'menu_type',
  'output_msg',
];
const SEED_PARTICIPANT_KEYS = [
  'id',
  'type',
  'status',
  'call_id',
  'user_id',
  'end_user_id',
  'call_duration',
  'hold_duration',
  'connected_at',
  'ended_at',
  'fail_reason',
];

/** UTC ISO 8601 with milliseconds, as CALL-API.md says every timestamp is. */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type Json = Record<string, unknown>;

/** The seed's outbound example numbers and the fixture's. */
export const NUM = {
  tenantDefault: '+1 339-219-5276',
  agentFirst: '+1 760-867-5309',
  agentSecond: '+1 760-410-8538',
  seedEndUser: '+1 859-657-9625',
  seedOther: '+1 205-123-4567',
  korean: '+82-10-6861-2345',
  ticket80021a: '+1 205-555-0101',
  ticket80021b: '+1 205-555-0199',
} as const;

export function expectError(response: RawResponse, status: number, message: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { message },
  });
}

/** A 201 whose body has every key of the seed's call object and every key CALL-API.md adds. */
export function expectCreated(response: RawResponse): Json {
  expect(response.status, response.text).toBe(201);
  const call = response.body as Json;
  expectCallShape(call);
  return call;
}

export function expectCallShape(call: Json): void {
  for (const key of [...SEED_CALL_KEYS, ...ADDED_CALL_KEYS]) {
    expect(Object.hasOwn(call, key), `call object lacks "${key}"`).toBe(true);
  }
  for (const key of ['created_at', 'updated_at'] as const) {
    expect(call[key]).toMatch(ISO_MS);
  }
  for (const key of ['queued_at', 'assigned_at', 'connected_at', 'ends_at', 'scheduled_at']) {
    if (call[key] !== null) expect(call[key]).toMatch(ISO_MS);
  }
  for (const participant of call.participants as Json[]) {
    expect(Object.keys(participant).sort()).toEqual([...SEED_PARTICIPANT_KEYS].sort());
    expect(participant.call_id).toBe(call.id);
  }
  if (call.selected_menu !== null) {
    expect(Object.keys(call.selected_menu as Json).sort()).toEqual([...SEED_MENU_KEYS].sort());
  }
}

/** The control API, through the fixture tenant's credentials. */
export function control(server: TestServer) {
  const ok = async (response: Promise<RawResponse>, status = 200) => {
    const answer = await response;
    expect(answer.status, answer.text).toBe(status);
    return answer.body as Json;
  };
  return {
    reset: () => ok(server.request('POST', '/emulator/reset'), 204),
    agent: (email: string, patch: Json) =>
      ok(server.request('PATCH', `/emulator/agents/${encodeURIComponent(email)}`, { body: patch })),
    menu: (id: number, patch: Json) =>
      ok(server.request('PATCH', `/emulator/menus/${id}`, { body: patch })),
    settings: (patch: Json) => ok(server.request('PATCH', '/emulator/settings', { body: patch })),
    clock: (body: { now: string } | { advance_ms: number }) =>
      ok(server.request('POST', '/emulator/clock', { body })),
    event: (callId: number, body: Json) =>
      ok(server.request('POST', `/emulator/calls/${callId}/events`, { body })),
  };
}

export const postCall = (server: TestServer, body: unknown) =>
  server.request('POST', '/apps/api/v1/calls', { body });

export const getCall = (server: TestServer, id: number) =>
  server.request('GET', `/apps/api/v1/calls/${id}`);

/** Creates a call that must be created; returns the call object. */
export async function createCall(server: TestServer, body: Json): Promise<Json> {
  return expectCreated(await postCall(server, body));
}

export const inboundBody = (extra: Json = {}): Json => ({
  call_type: 'Voice Inbound (API)',
  lang: 'en',
  menu_id: 9,
  end_user_number: NUM.seedEndUser,
  recording_permission: 'recording_permission_granted',
  ...extra,
});

export const outboundBody = (extra: Json = {}): Json => ({
  call_type: 'Voice Outbound (API)',
  agent_email: 'admin@somedomain.com',
  end_user_number: NUM.seedEndUser,
  outbound_number: NUM.tenantDefault,
  lang: 'en',
  ...extra,
});

export const scheduledBody = (extra: Json = {}): Json => ({
  call_type: 'Voice Scheduled (API)',
  lang: 'en',
  menu_id: 9,
  end_user_number: NUM.seedEndUser,
  scheduled_at: '2099-01-01T00:00:00.000Z',
  recording_permission: 'recording_permission_granted',
  ...extra,
});

/** Drops keys from a body (to send the seed's request without one of its fields). */
export function without(body: Json, ...keys: string[]): Json {
  const copy = { ...body };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * The i-th of a stream of valid create bodies, the three call types in turn, each with its
 * own end-user number: for tests that create calls in bulk.
 */
export function mixedCallBody(i: number): Json {
  const number = `+1 415-555-${String(i % 10_000).padStart(4, '0')}`;
  switch (i % 3) {
    case 0:
      return { call_type: 'Voice Inbound (API)', menu_id: 9, end_user_number: number };
    case 1:
      return {
        call_type: 'Voice Outbound (API)',
        agent_email: 'admin@somedomain.com',
        end_user_number: number,
      };
    default:
      return {
        call_type: 'Voice Scheduled (API)',
        menu_id: 12,
        end_user_number: number,
        scheduled_at: new Date(Date.now() + 86_400_000 + i * 1000).toISOString(),
      };
  }
}
