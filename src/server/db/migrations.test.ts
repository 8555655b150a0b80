import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';

// A database written by an earlier version keeps its data when a migration reshapes it.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function databaseAtVersion1(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-migrations-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'switchboard.sqlite'));
  db.exec(readFileSync(join(import.meta.dirname, 'migrations', '001-init.sql'), 'utf8'));
  db.pragma('user_version = 1');
  db.prepare(
    "INSERT INTO tenants (subdomain, token, directory) VALUES ('somedomain', 't', '{}')",
  ).run();
  db.prepare(
    "INSERT INTO contacts (tenant_id, id, identifier, out_contact_id) VALUES (1, 7, 'crm-7', 'out-7'), (1, 8, NULL, NULL)",
  ).run();
  db.prepare(
    "INSERT INTO contact_phones (tenant_id, e164, contact_id) VALUES (1, '+18596579625', 7), (1, '+12055550100', 8)",
  ).run();
  db.close();
  return dir;
}

describe('002: contacts keyed by their primary keys alone', () => {
  it('keeps every contact and number of a version-1 database, in tables without a rowid', () => {
    const db = openDatabase(databaseAtVersion1());
    try {
      expect(db.prepare('SELECT * FROM contacts ORDER BY id').all()).toEqual([
        { tenant_id: 1, id: 7, identifier: 'crm-7', out_contact_id: 'out-7' },
        { tenant_id: 1, id: 8, identifier: null, out_contact_id: null },
      ]);
      expect(db.prepare('SELECT * FROM contact_phones ORDER BY contact_id').all()).toEqual([
        { tenant_id: 1, e164: '+18596579625', contact_id: 7 },
        { tenant_id: 1, e164: '+12055550100', contact_id: 8 },
      ]);
      // A table without a rowid has no index of its own besides the key (sqlite_autoindex_*).
      const indexes = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('contacts', 'contact_phones')",
        )
        .all();
      expect(indexes).toEqual([]);
      for (const table of ['contacts', 'contact_phones']) {
        const sql = db
          .prepare<[string], { sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?')
          .get(table)!.sql;
        expect(sql).toMatch(/WITHOUT ROWID$/);
      }
      // The key still holds: the same number twice for a tenant is refused.
      expect(() =>
        db
          .prepare(
            "INSERT INTO contact_phones (tenant_id, e164, contact_id) VALUES (1, '+18596579625', 8)",
          )
          .run(),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
