-- Sync a team can trust (sync.md "Trust"): each laptop vouches for its own changes, a revoked
-- laptop is shut out for good, the team key turns over at a revocation, a laptop restored from
-- a backup takes a new identity, and laptops keep what they last saw of each other's audit trail.

-- Per origin laptop, the head of the hash chain of its operations as far as this laptop holds
-- them, and that laptop's Ed25519 signature of it (the head a relayed bundle carries). Kept
-- for this laptop's own chain too, extended as it exports.
CREATE TABLE sync_chains (
    device_id  TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL,
    chain      BLOB NOT NULL,
    signature  BLOB
) WITHOUT ROWID;

-- Operations a revoked laptop made after its revocation: kept out of the records (and of the
-- operation log the records are projections of), but held so that laptop's chain still checks
-- when its earlier operations are relayed.
CREATE TABLE sync_refused_ops (
    op_id        TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    hlc          INTEGER NOT NULL,
    worker_id    TEXT NOT NULL,
    record_type  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    changes      TEXT NOT NULL,
    UNIQUE (device_id, seq)
);

-- Team keys that replaced the first one (sync_identity.team_key is generation 0): a new one at
-- every revocation, sent to each laptop still enrolled sealed for it alone.
CREATE TABLE sync_team_keys (
    key_id      TEXT PRIMARY KEY,
    generation  INTEGER NOT NULL,
    key         BLOB NOT NULL
);

-- The latest audit head of `device_id`'s trail as `witness_id` saw it: this laptop's view of
-- the others (from their own bundles), and the others' view of this laptop (relayed to it).
CREATE TABLE sync_audit_witness (
    device_id   TEXT NOT NULL,
    witness_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    at          TEXT NOT NULL,
    problem     TEXT,
    PRIMARY KEY (device_id, witness_id)
) WITHOUT ROWID;

-- A laptop restored from a backup is the named successor of the laptop it was, vouched for by
-- that laptop's key.
ALTER TABLE devices ADD COLUMN successor_of TEXT;
ALTER TABLE devices ADD COLUMN succession_signature TEXT;

-- Which team key a bundle was sealed with (the sync screen shows which laptops have the
-- newest), and this laptop's audit head when it exported.
ALTER TABLE sync_bundles ADD COLUMN key_generation INTEGER;
ALTER TABLE sync_bundles ADD COLUMN audit_seq INTEGER;
ALTER TABLE sync_bundles ADD COLUMN audit_hash TEXT;

-- Set when a backup was restored here: the laptop it was, whose successor this laptop becomes
-- (vouched for by that laptop's key) the first time it syncs.
ALTER TABLE installation ADD COLUMN restored_from TEXT;
