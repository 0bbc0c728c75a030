-- Sync by file (sync.md): this laptop's keys, the team's laptops, what each peer is known to
-- hold, the bundles that came and went, and the fields two laptops changed while apart.

-- The team's bundle key (XChaCha20-Poly1305) and this laptop's signing key (Ed25519). They
-- live inside the encrypted database, never in a file of their own.
CREATE TABLE sync_identity (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    team_key     BLOB NOT NULL,
    signing_key  BLOB NOT NULL
);

-- The team's laptops. A record like any other: enrolment and revocation travel in bundles, so a
-- revoked laptop's bundles are refused wherever the revocation has reached.
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    enrolled_at  TEXT NOT NULL,
    enrolled_by  TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   TEXT
);

-- What another laptop is known to hold (from the bundles it sent): every operation of
-- `origin_id` up to `seq`. An incremental export sends that laptop only what is past it.
CREATE TABLE sync_acknowledged (
    peer_id    TEXT NOT NULL,
    origin_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (peer_id, origin_id)
) WITHOUT ROWID;

-- Bundles exported from and imported into this laptop, for the sync status.
-- `id` is the file's SHA-256: a laptop may import a bundle it exported itself.
CREATE TABLE sync_bundles (
    id              TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    device_id       TEXT NOT NULL,
    at              TEXT NOT NULL,
    exported_at     TEXT NOT NULL,
    operations      INTEGER NOT NULL,
    new_operations  INTEGER NOT NULL,
    up_to_hlc       INTEGER,
    worker_id       TEXT NOT NULL,
    own_seq         INTEGER,
    PRIMARY KEY (id, direction)
);
CREATE INDEX sync_bundles_by_time ON sync_bundles (direction, at);

-- Fields that more than one laptop has changed: where a conflict may be. Derived from the
-- operation log on import, and rebuilt with it; whether a conflict is open is read from the log.
CREATE TABLE sync_conflict_fields (
    record_type  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    field        TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, field)
) WITHOUT ROWID;
