import type { EventType } from '../contract/emulator.ts';
import { EVENTS_ALLOWED } from '../contract/emulator.ts';
import type { ServerConfig } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { recordEvent } from './domain/call-object.ts';
import type { TenantFixture } from './domain/tenant.ts';
import { CallStore, type StoredCall } from './store/call-store.ts';
import { TenantStore, type Tenant } from './store/tenant-store.ts';
import { RateLimiter } from './http/rate-limit.ts';
import fixture from './fixtures/fixture-tenant.json' with { type: 'json' };

/** Everything the routes share, built once per app from its configuration. */
export interface Services {
  config: ServerConfig;
  db: Db;
  tenants: TenantStore;
  calls: CallStore;
  limiter: RateLimiter;
  /** The fixture tenant the desk acts for in emulator mode. */
  deskTenant: Tenant;
  /** Scheduled calls whose time has come become queued. */
  promoteDueCalls(tenant: Tenant): void;
  close(): void;
}

export function allowedEventsOf(stored: StoredCall): EventType[] {
  return [...(EVENTS_ALLOWED[stored.call.status] ?? [])];
}

export function createServices(config: ServerConfig): Services {
  const db = openDatabase(config.DATA_DIR);
  const tenantFixture = fixture as unknown as TenantFixture;
  const tenants = new TenantStore(db, tenantFixture);
  const calls = new CallStore(db, (stored) => {
    (stored.call as StoredCall['call'] & { allowed_events: string[] }).allowed_events =
      allowedEventsOf(stored);
  });
  tenants.ensure(tenantFixture.subdomain, tenantFixture.api_token);
  for (const entry of config.EMULATOR_EXTRA_TENANTS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [subdomain, token] = entry.split(':');
    if (!subdomain || !token)
      throw new Error(`EMULATOR_EXTRA_TENANTS: "${entry}" is not subdomain:token`);
    tenants.ensure(subdomain, token);
  }
  const deskTenant = tenants.get(config.DESK_TENANT ?? tenantFixture.subdomain);
  if (!deskTenant) throw new Error(`DESK_TENANT: no tenant "${config.DESK_TENANT}"`);

  function promoteDueCalls(tenant: Tenant): void {
    const now = tenants.now(tenant).toISOString();
    const due = calls.dueScheduledIds(tenant.id, now);
    if (due.length === 0) return;
    calls.transaction(() => {
      for (const id of due) {
        const stored = calls.get(tenant.id, id);
        if (!stored || stored.call.status !== 'scheduled') continue;
        const call = structuredClone(stored.call);
        // The call becomes queued at its scheduled time, and goes on like an inbound call.
        const at = call.scheduled_at ?? now;
        call.status = 'queued';
        call.queued_at = at;
        call.offer_type = 'cascade';
        call.offer_events = [{ casting_time: at, group: 'Group 1' }];
        recordEvent(call, 'queued', at, call.menu_path?.name ?? null);
        // Changed now, whatever the time it was due: pollers of updated_at must see it.
        call.updated_at = now;
        calls.save(tenant.id, { call, internal: stored.internal });
      }
    });
  }

  return {
    config,
    db,
    tenants,
    calls,
    limiter: new RateLimiter(config.RATE_LIMIT_PER_SECOND),
    deskTenant,
    promoteDueCalls,
    close: () => db.close(),
  };
}
