-- The client register (domain.md "Client", "Consent to share"): people, their aliases,
-- consent, merges of duplicates, and the indexes that find them.

CREATE TABLE clients (
    -- Stable integer key for the search indexes (survives VACUUM); records use `id`.
    search_id            INTEGER PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    surname              TEXT NOT NULL COLLATE NOCASE,
    forenames            TEXT NOT NULL COLLATE NOCASE,
    date_of_birth        TEXT NOT NULL,
    sex                  TEXT NOT NULL,
    gender_identity      TEXT,
    ethnicity            TEXT,
    no_fixed_abode       INTEGER NOT NULL DEFAULT 0,
    address              TEXT,
    postcode             TEXT,
    gp                   TEXT,
    phone                TEXT,
    -- Identifiers are not unique here: two laptops may register the same person offline,
    -- and the duplicate finder must see both (sync.md).
    pnc                  TEXT,
    nhs_number           TEXT,
    prison_number        TEXT,
    primary_substance    TEXT,
    secondary_substance  TEXT,
    injecting_status     TEXT,
    risk_notes           TEXT,
    allocated_worker_id  TEXT,
    status               TEXT NOT NULL,     -- active | closed | merged
    closed_reason        TEXT,
    merged_into          TEXT,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX clients_by_name ON clients (surname, forenames, date_of_birth);
CREATE INDEX clients_by_forenames ON clients (forenames);
CREATE INDEX clients_by_dob ON clients (date_of_birth);
CREATE INDEX clients_by_pnc ON clients (pnc) WHERE pnc IS NOT NULL;
CREATE INDEX clients_by_nhs_number ON clients (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX clients_by_worker ON clients (allocated_worker_id, status);
CREATE INDEX clients_by_merged_into ON clients (merged_into) WHERE merged_into IS NOT NULL;

-- Other names a person is known by; `source` is 'alias' (typed by a worker) or 'merge'
-- (the name of a record merged into this one). Removal keeps the row.
CREATE TABLE client_aliases (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL,
    surname     TEXT NOT NULL,
    forenames   TEXT NOT NULL,
    source      TEXT NOT NULL,
    merge_id    TEXT,
    removed_at  TEXT,
    removed_by  TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX client_aliases_by_client ON client_aliases (client_id);

CREATE TABLE consents (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    scope         TEXT NOT NULL,
    review_on     TEXT NOT NULL,
    withdrawn_on  TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX consents_by_client ON consents (client_id);

CREATE TABLE client_merges (
    id           TEXT PRIMARY KEY,
    survivor_id  TEXT NOT NULL,
    merged_id    TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    -- What the survivor's record held before, so an undo restores it exactly (JSON).
    survivor_before  TEXT NOT NULL,
    merged_before    TEXT NOT NULL,
    merged_at    TEXT NOT NULL,
    merged_by    TEXT NOT NULL,
    undone_at    TEXT,
    undone_by    TEXT
);
CREATE INDEX client_merges_by_survivor ON client_merges (survivor_id);

-- A team lead's decision that a suggested pair are different people.
CREATE TABLE duplicate_dismissals (
    id            TEXT PRIMARY KEY,
    first_id      TEXT NOT NULL,
    second_id     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE UNIQUE INDEX duplicate_dismissals_by_pair ON duplicate_dismissals (first_id, second_id);

-- Every name a person is known by, as one text: the record's own and current aliases.
CREATE VIEW client_all_names AS
SELECT c.id, c.search_id,
       c.forenames || ' ' || c.surname ||
       coalesce(' ' || (SELECT group_concat(a.forenames || ' ' || a.surname, ' ')
                        FROM client_aliases a
                        WHERE a.client_id = c.id AND a.removed_at IS NULL), '') AS names
FROM clients c;

-- Any part of any name (trigrams), kept in step by the triggers below.
CREATE VIRTUAL TABLE client_search USING fts5 (
    names,
    tokenize = 'trigram remove_diacritics 1'
);

-- Sound-alike and punctuation-free keys of every name word (name_keys() is registered by
-- Throughline when it opens the database): Smyth finds Smith, OBrien finds O'Brien.
CREATE TABLE client_name_keys (
    key        TEXT NOT NULL,
    search_id  INTEGER NOT NULL,
    PRIMARY KEY (key, search_id)
) WITHOUT ROWID;
CREATE INDEX client_name_keys_by_client ON client_name_keys (search_id);

CREATE TRIGGER client_names_on_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.id;
END;

CREATE TRIGGER client_names_on_rename AFTER UPDATE OF surname, forenames ON clients
BEGIN
    DELETE FROM client_search WHERE rowid = new.search_id;
    DELETE FROM client_name_keys WHERE search_id = new.search_id;
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.id;
END;

CREATE TRIGGER client_names_on_alias AFTER INSERT ON client_aliases
BEGIN
    DELETE FROM client_search WHERE rowid = (SELECT search_id FROM clients WHERE id = new.client_id);
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.client_id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.client_id;
END;

CREATE TRIGGER client_names_on_alias_change AFTER UPDATE OF surname, forenames, removed_at ON client_aliases
BEGIN
    DELETE FROM client_search WHERE rowid = (SELECT search_id FROM clients WHERE id = new.client_id);
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT INTO client_search (rowid, names) SELECT search_id, names FROM client_all_names WHERE id = new.client_id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.client_id;
END;
