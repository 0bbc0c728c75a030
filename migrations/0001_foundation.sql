-- Throughline foundation: the installation, workers, the operation log, the audit trail and
-- team settings.

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
