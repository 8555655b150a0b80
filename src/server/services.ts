import type { EventType } from '../contract/emulator.ts';
import { extraTenants, type ServerConfig } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { StorageHealth, storageProblem } from './db/storage-health.ts';
import { queueScheduledCall, runAutoplay } from './emulator/autoplay.ts';
import { allowedEvents } from './emulator/lifecycle.ts';
import type { TenantFixture } from './domain/tenant.ts';
import { CallStore, type StoredCall } from './store/call-store.ts';
import { TenantStore, type Tenant } from './store/tenant-store.ts';
import { LoginThrottle } from './http/login-throttle.ts';
import { RateLimiter } from './http/rate-limit.ts';
import type { Faults } from './emulator/faults.ts';
import fixture from './fixtures/fixture-tenant.json' with { type: 'json' };

/** Everything the routes share, built once per app from its configuration. */
export interface Services {
  config: ServerConfig;
  db: Db;
  storage: StorageHealth;
  tenants: TenantStore;
  calls: CallStore;
  limiter: RateLimiter;
  logins: LoginThrottle;
  /** The fixture tenant the desk acts for in emulator mode. */
  deskTenant: Tenant;
  /** Faults set through the control API, by tenant id (until reset). */
  faults: Map<number, Faults>;
  /** Scheduled calls whose time has come become queued (a storage failure leaves them be). */
  promoteDueCalls(tenant: Tenant): void;
  /** The same, for a write that must fail whole when storage fails. */
  applyDueCalls(tenant: Tenant): void;
  /** With autoplay on, calls move on by themselves at a realistic pace. */
  autoplayDueCalls(tenant: Tenant): void;
  close(): void;
}

function allowedEventsOf(stored: StoredCall): EventType[] {
  return allowedEvents(stored.call, stored.internal);
}

export function createServices(config: ServerConfig): Services {
  const db = openDatabase(config.DATA_DIR, { maxMb: config.DATA_MAX_MB });
  const storage = new StorageHealth(config.DATA_DIR, [db]);
  const tenantFixture = fixture as unknown as TenantFixture;
  const tenants = new TenantStore(db, tenantFixture);
  const calls = new CallStore(db, (stored) => {
    stored.call.allowed_events = allowedEventsOf(stored);
  });
  // The tenants the configuration names now, with the tokens it gives them now.
  tenants.configure([
    { subdomain: tenantFixture.subdomain, token: tenantFixture.api_token },
    ...extraTenants(config).filter((t) => t.subdomain !== tenantFixture.subdomain),
  ]);
  const deskTenant = tenants.get(config.DESK_TENANT ?? tenantFixture.subdomain);
  if (!deskTenant) throw new Error(`DESK_TENANT: no tenant "${config.DESK_TENANT}"`);

  function promoteDueCalls(tenant: Tenant): void {
    try {
      applyDueCalls(tenant);
    } catch (error) {
      // Storage full or failing: the calls stay scheduled until a write can be stored (a
      // read is still answered; the next request or tick promotes them).
      const problem = storageProblem(error);
      if (!problem) throw error;
      storage.failed(problem);
    }
  }

  function applyDueCalls(tenant: Tenant): void {
    const now = tenants.now(tenant).toISOString();
    const due = calls.dueScheduledIds(tenant.id, now);
    if (due.length === 0) return;
    calls.transaction(() => {
      for (const id of due) {
        const stored = calls.get(tenant.id, id);
        if (!stored || stored.call.status !== 'scheduled') continue;
        // It becomes queued at its scheduled time and goes on like an inbound call.
        calls.save(tenant.id, {
          call: queueScheduledCall(stored.call, now),
          internal: stored.internal,
        });
      }
    });
  }

  function autoplayDueCalls(tenant: Tenant): void {
    if (!config.EMULATOR_AUTOPLAY) return;
    const now = tenants.now(tenant).toISOString();
    calls.transaction(() => {
      for (const id of calls.activeIds(tenant.id)) {
        const stored = calls.get(tenant.id, id);
        if (!stored) continue;
        const run = runAutoplay(stored.call, stored.internal, now, {
          directory: tenant.directory,
          nextParticipantId: () => calls.nextId('participant'),
          nextTransferId: () => calls.nextId('transfer'),
        });
        if (run.applied.length > 0)
          calls.save(tenant.id, { call: run.call, internal: run.internal });
      }
    });
  }

  return {
    config,
    db,
    storage,
    tenants,
    calls,
    limiter: new RateLimiter(config.RATE_LIMIT_PER_SECOND),
    logins: new LoginThrottle({
      perAddress: config.LOGIN_FAILURES_PER_ADDRESS,
      perTenant: config.LOGIN_FAILURES_PER_TENANT,
    }),
    deskTenant,
    faults: new Map(),
    promoteDueCalls,
    applyDueCalls,
    autoplayDueCalls,
    close: () => db.close(),
  };
}
