-- Contacts and their numbers keyed by their primary keys alone (WITHOUT ROWID). As rowid
-- tables each was two B-trees, the rows and an index on the key, so every inbound or
-- scheduled call from a new number wrote four B-tree entries for its contact; now two.
CREATE TABLE contacts_by_key (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id INTEGER NOT NULL,
  identifier TEXT,
  out_contact_id TEXT,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
INSERT INTO contacts_by_key (tenant_id, id, identifier, out_contact_id)
  SELECT tenant_id, id, identifier, out_contact_id FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_by_key RENAME TO contacts;

CREATE TABLE contact_phones_by_key (
  tenant_id INTEGER NOT NULL,
  e164 TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, e164)
) WITHOUT ROWID;
INSERT INTO contact_phones_by_key (tenant_id, e164, contact_id)
  SELECT tenant_id, e164, contact_id FROM contact_phones;
DROP TABLE contact_phones;
ALTER TABLE contact_phones_by_key RENAME TO contact_phones;
