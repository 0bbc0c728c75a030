-- A name typed into search is matched by its sound-alike keys, then ranked by surname,
-- forenames and date of birth. Ranking read each match's entry in clients_for_search (0018):
-- a common name sounds like two thousand people, whose entries lie on a thousand pages of that
-- index, and a search's connection starts cold after every write (each search is audited), so
-- every search decrypted them again (20 ms at bench scale). Each key now carries what ranking
-- reads, so one key's people are read together, from a few dozen pages. Kept in step by the
-- triggers below; a merged person's keys say so, as their record does.

DROP TRIGGER client_names_on_insert;
DROP TRIGGER client_names_on_rename;
DROP TRIGGER client_names_on_alias;
DROP TRIGGER client_names_on_alias_change;

CREATE TABLE client_name_keys_ranked (
    key            TEXT NOT NULL,
    search_id      INTEGER NOT NULL,
    status         TEXT NOT NULL,
    surname        TEXT NOT NULL COLLATE NOCASE,
    forenames      TEXT NOT NULL COLLATE NOCASE,
    date_of_birth  TEXT NOT NULL,
    PRIMARY KEY (key, search_id)
) WITHOUT ROWID;
INSERT INTO client_name_keys_ranked (key, search_id, status, surname, forenames, date_of_birth)
SELECT k.key, k.search_id, c.status, c.surname, c.forenames, c.date_of_birth
FROM client_name_keys k JOIN clients c ON c.search_id = k.search_id;
DROP TABLE client_name_keys;
ALTER TABLE client_name_keys_ranked RENAME TO client_name_keys;
CREATE INDEX client_name_keys_by_client ON client_name_keys (search_id);

-- Every key of every name a person is known by (their own and current aliases), with what
-- ranking reads; the person's keys are removed first by the triggers that call it.
CREATE VIEW client_name_keys_from_records AS
SELECT j.value AS key, c.search_id, c.status, c.surname, c.forenames, c.date_of_birth, c.id AS client_id
FROM client_all_names n JOIN clients c ON c.id = n.id, json_each(name_keys(n.names)) j;

CREATE TRIGGER client_names_on_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id, status, surname, forenames, date_of_birth)
        SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys_from_records WHERE client_id = new.id;
END;

CREATE TRIGGER client_names_on_rename AFTER UPDATE OF surname, forenames ON clients
BEGIN
    DELETE FROM client_search WHERE rowid = new.search_id;
    DELETE FROM client_name_keys WHERE search_id = new.search_id;
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id, status, surname, forenames, date_of_birth)
        SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys_from_records WHERE client_id = new.id;
END;

CREATE TRIGGER client_names_on_status_or_birth AFTER UPDATE OF status, date_of_birth ON clients
BEGIN
    UPDATE client_name_keys SET status = new.status, date_of_birth = new.date_of_birth WHERE search_id = new.search_id;
END;

CREATE TRIGGER client_names_on_alias AFTER INSERT ON client_aliases
BEGIN
    DELETE FROM client_search WHERE rowid = (SELECT search_id FROM clients WHERE id = new.client_id);
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.client_id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id, status, surname, forenames, date_of_birth)
        SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys_from_records WHERE client_id = new.client_id;
END;

CREATE TRIGGER client_names_on_alias_change AFTER UPDATE OF surname, forenames, removed_at ON client_aliases
BEGIN
    DELETE FROM client_search WHERE rowid = (SELECT search_id FROM clients WHERE id = new.client_id);
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.client_id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id, status, surname, forenames, date_of_birth)
        SELECT key, search_id, status, surname, forenames, date_of_birth FROM client_name_keys_from_records WHERE client_id = new.client_id;
END;
