// The requests of each benchmark scenario, shared by the orchestrator (bench/api.ts) and
// the load generator it starts in a second process (bench/load.ts). Every body is one the
// fixture tenant answers with a 201: agent admin@somedomain.com (one outbound number, so no
// 202), open menus of the right type, and a scheduled_at in the future.

export const API = '/apps/api/v1';

const BENCH_CREDENTIALS = { subdomain: 'somedomain', token: 'local-dev-token' };
export const BENCH_AUTH = `Basic ${Buffer.from(
  `${BENCH_CREDENTIALS.subdomain}:${BENCH_CREDENTIALS.token}`,
).toString('base64')}`;

export type ScenarioName =
  | 'POST /calls inbound'
  | 'POST /calls outbound'
  | 'POST /calls scheduled'
  | 'GET /calls/:id'
  | 'GET /calls page 1';

export interface Scenario {
  name: ScenarioName;
  method: 'GET' | 'POST';
  /** The status every request must get; anything else is counted as an error. */
  expect: number;
}

export const SCENARIOS: Scenario[] = [
  { name: 'POST /calls inbound', method: 'POST', expect: 201 },
  { name: 'POST /calls outbound', method: 'POST', expect: 201 },
  { name: 'POST /calls scheduled', method: 'POST', expect: 201 },
  { name: 'GET /calls/:id', method: 'GET', expect: 200 },
  { name: 'GET /calls page 1', method: 'GET', expect: 200 },
];

export { mulberry32 } from '../src/server/test/random.ts';

export type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const digits = (random: Random, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

/** A North American number in one of the formats people type, all well formed. */
function usNumber(random: Random): string {
  const area = pick(random, ['205', '312', '415', '617', '718', '859']);
  const exchange = String(200 + Math.floor(random() * 800));
  const line = digits(random, 4);
  return pick(random, [
    `+1 ${area}-${exchange}-${line}`,
    `+1 (${area}) ${exchange}-${line}`,
    `+1${area}${exchange}${line}`,
    `+1 ${area} ${exchange} ${line}`,
  ]);
}

function maybe<T extends object>(random: Random, p: number, value: T): T | Record<string, never> {
  return random() < p ? value : {};
}

function inboundBody(random: Random): Record<string, unknown> {
  return {
    call_type: pick(random, ['Voice Inbound (API)', 'IncomingCall']),
    menu_id: pick(random, [7, 9, 10, '9', '10']),
    end_user_number: usNumber(random),
    ...maybe(random, 0.5, { lang: pick(random, ['en', 'es', 'ko']) }),
    ...maybe(random, 0.5, {
      recording_permission: pick(random, [
        'recording_permission_not_asked',
        'recording_permission_granted',
        'recording_permission_denied',
      ]),
    }),
    ...maybe(random, 0.2, { ticket_id: pick(random, ['71450', 76517, '12345']) }),
    ...maybe(random, 0.2, { outbound_number: '+1 760-867-5309' }),
  };
}

function outboundBody(random: Random): Record<string, unknown> {
  const byTicket = random() < 0.2;
  return {
    call_type: pick(random, ['Voice Outbound (API)', 'OutboundCall']),
    agent_email: pick(random, ['admin@somedomain.com', 'Admin@SomeDomain.com']),
    ...(byTicket ? { ticket_id: pick(random, ['71450', 76517]) } : {}),
    ...(byTicket && random() < 0.5 ? {} : { end_user_number: usNumber(random) }),
    ...maybe(random, 0.5, { lang: pick(random, ['en', 'es', 'ko']) }),
    ...maybe(random, 0.3, {
      outbound_number: pick(random, ['+1 339-219-5276', '+1 760-867-5309', '+1 760-410-8538']),
    }),
  };
}

function scheduledBody(random: Random, nowMs = Date.now()): Record<string, unknown> {
  // From one hour to thirty days ahead, so that none comes due during a run.
  const at = new Date(nowMs + 3_600_000 + Math.floor(random() * 30 * 86_400_000));
  return {
    call_type: pick(random, ['Voice Scheduled (API)', 'ScheduledCall']),
    menu_id: pick(random, [9, 10, 12, '12']),
    end_user_number: usNumber(random),
    scheduled_at: pick(random, [at.toISOString(), at.toISOString().replace(/\.\d{3}Z$/, 'Z')]),
    ...maybe(random, 0.5, { lang: pick(random, ['en', 'es', 'ko']) }),
    ...maybe(random, 0.3, { recording_permission: 'recording_permission_granted' }),
  };
}

export const BODIES = {
  'POST /calls inbound': inboundBody,
  'POST /calls outbound': outboundBody,
  'POST /calls scheduled': scheduledBody,
} as const;

export interface RequestShape {
  method: string;
  path: string;
  body?: string;
}

/** The next request of a scenario; `ids` are the calls that GET /calls/:id reads. */
export function nextRequest(
  scenario: ScenarioName,
  random: Random,
  ids: { first: number; count: number },
): RequestShape {
  switch (scenario) {
    case 'POST /calls inbound':
    case 'POST /calls outbound':
    case 'POST /calls scheduled':
      return {
        method: 'POST',
        path: `${API}/calls`,
        body: JSON.stringify(BODIES[scenario](random)),
      };
    case 'GET /calls/:id':
      return {
        method: 'GET',
        path: `${API}/calls/${ids.first + Math.floor(random() * ids.count)}`,
      };
    case 'GET /calls page 1':
      return { method: 'GET', path: `${API}/calls?page=1` };
  }
}
