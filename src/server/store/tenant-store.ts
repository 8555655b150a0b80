import { parsePhone } from '../../contract/phone.ts';
import type { Db } from '../db/database.ts';
import type { TenantContact, TenantDirectory, TenantFixture } from '../domain/tenant.ts';

export interface Tenant {
  id: number;
  subdomain: string;
  token: string;
  directory: TenantDirectory;
  clockOffsetMs: number;
}

/** A committed change of a tenant that the desk shows: its directory, clock, or a reset. */
export interface TenantChange {
  kind: 'reset' | 'clock' | 'directory';
  tenant: Tenant;
}

interface TenantRow {
  id: number;
  subdomain: string;
  token: string;
  directory: string;
  clock_offset_ms: number;
}

function directoryOf(fixture: TenantFixture): TenantDirectory {
  return structuredClone({
    agents: fixture.agents,
    menus: fixture.menus,
    tickets: fixture.tickets,
    settings: {
      languages: fixture.languages,
      outbound_numbers: fixture.outbound_numbers,
      default_outbound_number: fixture.default_outbound_number,
    },
  });
}

/**
 * The emulator's tenants: their credentials, directory and clock. The directory is read on
 * every request, so it is kept in memory and written through to SQLite on each change.
 */
export class TenantStore {
  private readonly cache = new Map<string, Tenant>();
  private readonly listeners = new Set<(change: TenantChange) => void>();
  /** The subdomains the configuration names (configure()). */
  private active = new Set<string>();
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly fixture: TenantFixture,
  ) {
    this.statements = {
      bySubdomain: db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE subdomain = ?'),
      insert: db.prepare(
        'INSERT INTO tenants (subdomain, token, directory, clock_offset_ms) VALUES (?, ?, ?, 0)',
      ),
      saveDirectory: db.prepare('UPDATE tenants SET directory = ? WHERE id = ?'),
      saveClock: db.prepare('UPDATE tenants SET clock_offset_ms = ? WHERE id = ?'),
      saveToken: db.prepare('UPDATE tenants SET token = ? WHERE id = ?'),
      contactByPhone: db.prepare<[number, string], TenantContact>(
        `SELECT c.id, c.identifier, c.out_contact_id FROM contact_phones p
         JOIN contacts c ON c.tenant_id = p.tenant_id AND c.id = p.contact_id
         WHERE p.tenant_id = ? AND p.e164 = ?`,
      ),
      nextContactId: db.prepare<[number], { next: number }>(
        'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM contacts WHERE tenant_id = ?',
      ),
      insertContact: db.prepare(
        'INSERT INTO contacts (tenant_id, id, identifier, out_contact_id) VALUES (?, ?, ?, ?)',
      ),
      insertPhone: db.prepare(
        'INSERT OR IGNORE INTO contact_phones (tenant_id, e164, contact_id) VALUES (?, ?, ?)',
      ),
      deleteCalls: db.prepare('DELETE FROM calls WHERE tenant_id = ?'),
      deleteContacts: db.prepare('DELETE FROM contacts WHERE tenant_id = ?'),
      deletePhones: db.prepare('DELETE FROM contact_phones WHERE tenant_id = ?'),
    };
  }

  /** Hears of each committed change; returns the function that stops listening. */
  onChange(listener: (change: TenantChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(kind: TenantChange['kind'], tenant: Tenant): void {
    for (const listener of this.listeners) {
      try {
        listener({ kind, tenant });
      } catch (error) {
        console.error('[switchboard] a tenant change listener failed', error);
      }
    }
  }

  /**
   * The tenants the configuration names, each with the token it gives: a new one is
   * created from the fixture, an existing one keeps its calls and directory and takes the
   * token it is given now (the old token stops working). A tenant in the database that the
   * configuration no longer names is no tenant for the API (its data is kept, should it be
   * named again).
   */
  configure(entries: ReadonlyArray<{ subdomain: string; token: string }>): void {
    this.db.transaction(() => {
      for (const { subdomain, token } of entries) {
        const row = this.statements.bySubdomain.get(subdomain);
        if (!row) {
          const info = this.statements.insert.run(
            subdomain,
            token,
            JSON.stringify(directoryOf(this.fixture)),
          );
          this.seedContacts(Number(info.lastInsertRowid));
        } else if (row.token !== token) {
          this.statements.saveToken.run(token, row.id);
        }
      }
    })();
    this.cache.clear();
    this.active = new Set(entries.map((e) => e.subdomain));
  }

  get(subdomain: string): Tenant | undefined {
    if (!this.active.has(subdomain)) return undefined;
    const cached = this.cache.get(subdomain);
    if (cached) return cached;
    const row = this.statements.bySubdomain.get(subdomain);
    if (!row) return undefined;
    const tenant: Tenant = {
      id: row.id,
      subdomain: row.subdomain,
      token: row.token,
      directory: JSON.parse(row.directory) as TenantDirectory,
      clockOffsetMs: row.clock_offset_ms,
    };
    this.cache.set(subdomain, tenant);
    return tenant;
  }

  /** The configured tenants. */
  all(): Tenant[] {
    return [...this.active].map((subdomain) => this.get(subdomain)!);
  }

  /** The emulator's clock for this tenant: real time, moved by the control API. */
  now(tenant: Tenant): Date {
    return new Date(Date.now() + tenant.clockOffsetMs);
  }

  /**
   * Sets the tenant's clock and runs `then` (the work the new time brings, in the same
   * transaction): if anything fails to be stored, the clock is where it was. `transaction`
   * runs the work in one transaction: the call store's, where `then` changes calls, so that
   * their changes are told once all is committed.
   */
  setClock<T>(
    tenant: Tenant,
    nowMs: number,
    then: () => T,
    transaction: (work: () => T) => T = (work) => this.db.transaction(work)(),
  ): T {
    const before = tenant.clockOffsetMs;
    try {
      const result = transaction(() => {
        tenant.clockOffsetMs = nowMs - Date.now();
        this.statements.saveClock.run(tenant.clockOffsetMs, tenant.id);
        return then();
      });
      this.emit('clock', tenant);
      return result;
    } catch (error) {
      tenant.clockOffsetMs = before;
      throw error;
    }
  }

  /** Applies a change to the directory and persists it; the change must not throw halfway. */
  updateDirectory(tenant: Tenant, change: (directory: TenantDirectory) => void): void {
    const next = structuredClone(tenant.directory);
    change(next);
    this.statements.saveDirectory.run(JSON.stringify(next), tenant.id);
    tenant.directory = next;
    this.emit('directory', tenant);
  }

  /** The tenant is the fixture again, with no calls, and its clock is real time. */
  reset(tenant: Tenant): void {
    const directory = directoryOf(this.fixture);
    this.db.transaction(() => {
      this.statements.deleteCalls.run(tenant.id);
      this.statements.deletePhones.run(tenant.id);
      this.statements.deleteContacts.run(tenant.id);
      this.statements.saveDirectory.run(JSON.stringify(directory), tenant.id);
      this.statements.saveClock.run(0, tenant.id);
      this.seedContacts(tenant.id);
    })();
    tenant.directory = directory;
    tenant.clockOffsetMs = 0;
    this.emit('reset', tenant);
  }

  /** The CRM contact with this number, or a new one (inbound and scheduled calls). */
  contactForPhone(tenant: Tenant, e164: string): TenantContact {
    const found = this.statements.contactByPhone.get(tenant.id, e164);
    if (found) return found;
    const id = this.statements.nextContactId.get(tenant.id)!.next;
    this.statements.insertContact.run(tenant.id, id, null, null);
    this.statements.insertPhone.run(tenant.id, e164, id);
    return { id, identifier: null, out_contact_id: null };
  }

  private seedContacts(tenantId: number): void {
    for (const ticket of this.fixture.tickets) {
      const c = ticket.end_user;
      this.statements.insertContact.run(tenantId, c.id, c.identifier, c.out_contact_id);
      for (const number of ticket.phone_numbers) {
        const parsed = parsePhone(number);
        if (parsed) this.statements.insertPhone.run(tenantId, parsed.e164, c.id);
      }
    }
  }
}
