import {
  test as base,
  expect,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { signIn } from '../../src/server/test/sign-in.ts';
import { DESK_ORIGIN, HOST_ORIGIN } from './ports.ts';

// What every browser test starts from: the emulator reset to the fixture tenant (through its
// control API, over HTTP, as any test tool outside the project would), and a helper to put
// the tenant into a state or create calls to look at. What is under test is always done
// through the desk's UI.

const AUTH = `Basic ${Buffer.from('somedomain:local-dev-token').toString('base64')}`;

interface CallSummary {
  id: number;
  status: string;
  call_type: string;
}

export class Emulator {
  constructor(private readonly api: APIRequestContext) {}

  private async send<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    data?: unknown,
  ): Promise<T> {
    let response = await this.api.fetch(path, { method, ...(data !== undefined && { data }) });
    // A tenant with its real rate limit: the tests are one more integration sharing it, and
    // wait out a 429 as the service asks.
    for (let tries = 0; response.status() === 429 && tries < 10; tries++) {
      const seconds = Number(response.headers()['retry-after'] ?? 1);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      response = await this.api.fetch(path, { method, ...(data !== undefined && { data }) });
    }
    if (!response.ok()) {
      throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
    }
    return (response.status() === 204 ? undefined : await response.json()) as T;
  }

  reset() {
    return this.send<void>('POST', '/emulator/reset');
  }
  setFaults(faults: { create_delay_ms?: number; create_lost?: boolean }) {
    return this.send('PUT', '/emulator/faults', faults);
  }
  updateAgent(email: string, patch: Record<string, unknown>) {
    return this.send('PATCH', `/emulator/agents/${encodeURIComponent(email)}`, patch);
  }
  updateMenu(id: number, patch: Record<string, unknown>) {
    return this.send('PATCH', `/emulator/menus/${id}`, patch);
  }
  updateSettings(patch: Record<string, unknown>) {
    return this.send('PATCH', '/emulator/settings', patch);
  }
  sendEvent(id: number, event: Record<string, unknown>) {
    return this.send<CallSummary>('POST', `/emulator/calls/${id}/events`, event);
  }
  /** Through the Call API: calls to look at, when creating them is not what is tested. */
  createCall(body: Record<string, unknown>) {
    return this.send<CallSummary>('POST', '/apps/api/v1/calls', body);
  }
  inboundCall(end_user_number = '+1 205 123 4567') {
    return this.createCall({ call_type: 'Voice Inbound (API)', menu_id: 7, end_user_number });
  }
  getCall(id: number) {
    return this.send<CallSummary & Record<string, unknown>>('GET', `/apps/api/v1/calls/${id}`);
  }
  getFlags(id: number) {
    return this.send<Record<string, boolean>>('GET', `/apps/api/v1/calls/${id}/customer_flag`);
  }
  listCalls() {
    return this.send<CallSummary[]>('GET', '/apps/api/v1/calls?per=100');
  }
}

const SESSION_COOKIE = '__Host-switchboard-session';

/**
 * Gives the browser a session of `email`, signed in through the emulator's identity
 * provider over HTTP: the desk's cookie for a tab of its own, and the same session in the
 * CRM host's partition (the cookie a framed desk keeps where third-party cookies are
 * blocked). The sign-in itself, through the UI and the popup, has tests of its own.
 */
export async function signInAs(context: BrowserContext, email: string): Promise<string> {
  const { secret } = await signIn(DESK_ORIGIN, email);
  if (!secret) throw new Error(`${email} could not sign in`);
  const cookie = {
    name: SESSION_COOKIE,
    value: secret,
    domain: new URL(DESK_ORIGIN).hostname,
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'None' as const,
  };
  const hostSite = `${new URL(HOST_ORIGIN).protocol}//${new URL(HOST_ORIGIN).hostname}`;
  await context.addCookies([cookie, { ...cookie, partitionKey: hostSite }]);
  return secret;
}

/** The emulator at `origin` through its own API, with the fixture tenant's credentials. */
export async function emulatorAt(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  origin: string,
): Promise<{ emulator: Emulator; dispose: () => Promise<void> }> {
  const api = await playwright.request.newContext({
    baseURL: origin,
    extraHTTPHeaders: { Authorization: AUTH },
  });
  return { emulator: new Emulator(api), dispose: () => api.dispose() };
}

export const test = base.extend<{ emulator: Emulator; agent: string }>({
  /** Who is signed in when the test starts; '' for nobody. */
  agent: ['admin@somedomain.com', { option: true }],
  context: async ({ context, agent }, use) => {
    if (agent) await signInAs(context, agent);
    await use(context);
  },
  emulator: [
    async ({ playwright }, use) => {
      const api = await playwright.request.newContext({
        baseURL: DESK_ORIGIN,
        extraHTTPHeaders: { Authorization: AUTH },
      });
      const emulator = new Emulator(api);
      await emulator.reset();
      await use(emulator);
      await api.dispose();
    },
    // Every test starts from the fixture tenant with no calls, whether it asks for the helper or not.
    { auto: true },
  ],
});

export { expect };

/** The local date-time a datetime-local input takes, `minutes` from now in the page's zone. */
export async function localInputFromNow(page: Page, minutes: number): Promise<string> {
  return page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, minutes);
}
