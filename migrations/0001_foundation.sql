-- Throughline foundation: the installation, workers, the operation log, the audit trail,
-- team settings and the first client columns.

CREATE TABLE installation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    team_id     TEXT NOT NULL,
    team_name   TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- This laptop's position in its own operation sequence and hybrid logical clock.
CREATE TABLE device_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq  INTEGER NOT NULL,
    last_hlc  INTEGER NOT NULL
);
INSERT INTO device_state (id, next_seq, last_hlc) VALUES (1, 1, 0);

-- Every change to every record (sync.md). `changes` is JSON: {"field": [old, new], ...}.
CREATE TABLE operations (
    op_id        TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    hlc          INTEGER NOT NULL,
    worker_id    TEXT NOT NULL,
    record_type  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('create', 'update', 'append', 'retract')),
    changes      TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX operations_by_record ON operations (record_type, record_id, hlc);

-- Append-only, hash-chained (security.md).
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    worker_id    TEXT,
    action       TEXT NOT NULL,
    record_type  TEXT,
    record_id    TEXT,
    client_id    TEXT,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_by_client ON audit_log (client_id, seq) WHERE client_id IS NOT NULL;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE workers (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,  -- comma-separated role names
    active        INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);

-- Team settings (policy defaults of domain.md), one row per setting.
CREATE TABLE team_settings (
    id     TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE clients (
    id                   TEXT PRIMARY KEY,
    surname              TEXT NOT NULL COLLATE NOCASE,
    forenames            TEXT NOT NULL COLLATE NOCASE,
    date_of_birth        TEXT NOT NULL,
    sex                  TEXT NOT NULL,
    pnc                  TEXT,
    nhs_number           TEXT,
    status               TEXT NOT NULL,
    allocated_worker_id  TEXT,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX clients_by_surname ON clients (surname);
CREATE INDEX clients_by_dob ON clients (date_of_birth);
CREATE UNIQUE INDEX clients_by_pnc ON clients (pnc) WHERE pnc IS NOT NULL;
CREATE UNIQUE INDEX clients_by_nhs_number ON clients (nhs_number) WHERE nhs_number IS NOT NULL;

-- Search by any part of a name: a trigram index kept in step with the clients table.
CREATE VIRTUAL TABLE client_search USING fts5 (
    client_id UNINDEXED,
    names,
    tokenize = 'trigram remove_diacritics 1'
);
CREATE TRIGGER client_search_on_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO client_search (client_id, names) VALUES (new.id, new.forenames || ' ' || new.surname);
END;
CREATE TRIGGER client_search_on_rename AFTER UPDATE OF surname, forenames ON clients
BEGIN
    DELETE FROM client_search WHERE client_id = old.id;
    INSERT INTO client_search (client_id, names) VALUES (new.id, new.forenames || ' ' || new.surname);
END;
