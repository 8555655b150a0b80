import { defineConfig, devices } from '@playwright/test';
import {
  DESK_ORIGIN,
  DESK_PORT,
  FRONT_CLIENT,
  FRONT_ORIGIN,
  FRONT_PORT,
  HOST_ORIGIN,
  SESSION_EVENTS,
  TENANT_ORIGIN,
  TENANT_PORT,
} from './e2e/support/ports.ts';

// Browser tests: the production build (run `vite build` first; `npm run test:e2e` does)
// served by the real server on a fresh temporary database, driven in Debian's Chromium
// (Playwright's own browser download is not used). A second server serves the CRM host
// page that frames the desk, from an allowed origin and from one that is not.

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: DESK_ORIGIN,
    // As an agent who asked their system for less motion: the desk's transitions end at
    // once, so what a test reads (and axe scans) is the settled page, not a frame of a fade.
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    // The suite's own PostgreSQL, for the desk servers behind a load balancer (multi-server
    // spec): a temporary cluster, stopped (and removed) with the run.
    {
      command: 'node --import tsx e2e/support/start-postgres.ts',
      wait: { stdout: /postgres ready/ },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      command: 'node --import tsx e2e/support/start-server.ts',
      url: `${DESK_ORIGIN}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(DESK_PORT),
        HOST: '127.0.0.1',
        RATE_LIMIT_PER_SECOND: '0',
        UPSTREAM_BUDGET_PER_SECOND: '0',
        // The admin's role may place calls for other agents (how the seed's agent errors are
        // reached from the form); a plain agent places calls only as themself.
        DESK_ACT_FOR_OTHERS_ROLES: 'admin',
        EMULATOR_AUTOPLAY: '0',
        // Exactly one allowed host: the CRM host page's.
        EMBED_ALLOWED_ORIGINS: HOST_ORIGIN,
        LOG_LEVEL: 'warn',
      },
    },
    // Tenant mode: an emulator as the tenant (its real 10 requests a second), and a desk
    // server fronting it over HTTP, signing agents in through the tenant's /dev-idp.
    {
      command: 'node --import tsx e2e/support/start-server.ts',
      url: `${TENANT_ORIGIN}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(TENANT_PORT),
        HOST: '127.0.0.1',
        RATE_LIMIT_PER_SECOND: '10',
        EMULATOR_AUTOPLAY: '0',
        DEV_IDP_CLIENTS: `${FRONT_CLIENT.id}:${FRONT_CLIENT.secret}:${FRONT_ORIGIN}/desk/auth/callback`,
        // The platform's session events, pushed to the fronting server's webhook.
        EMULATOR_SESSION_EVENTS_URL: `${FRONT_ORIGIN}/webhooks/session-events`,
        EMULATOR_SESSION_EVENTS_USER: SESSION_EVENTS.user,
        EMULATOR_SESSION_EVENTS_PASSWORD: SESSION_EVENTS.password,
        LOG_LEVEL: 'warn',
      },
    },
    {
      command: 'node --import tsx e2e/support/start-server.ts',
      url: `${FRONT_ORIGIN}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(FRONT_PORT),
        HOST: '127.0.0.1',
        UPSTREAM_URL: TENANT_ORIGIN,
        UPSTREAM_SUBDOMAIN: 'somedomain',
        UPSTREAM_TOKEN: 'local-dev-token',
        UPSTREAM_ALLOW_HTTP: '1',
        UPSTREAM_TIMEOUT_MS: '1500',
        OIDC_ISSUER: `${TENANT_ORIGIN}/dev-idp`,
        OIDC_CLIENT_ID: FRONT_CLIENT.id,
        OIDC_CLIENT_SECRET: FRONT_CLIENT.secret,
        SESSION_EVENTS_USER: SESSION_EVENTS.user,
        SESSION_EVENTS_PASSWORD: SESSION_EVENTS.password,
        // Exactly one allowed host: the CRM host page's.
        EMBED_ALLOWED_ORIGINS: HOST_ORIGIN,
        LOG_LEVEL: 'warn',
      },
    },
    {
      command: 'node --import tsx e2e/support/host-server.ts',
      url: `${HOST_ORIGIN}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
