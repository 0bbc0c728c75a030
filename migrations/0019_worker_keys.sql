-- Each worker's keys (sync.md "Trust"): a worker's key slot on a laptop holds an Ed25519 key
-- of theirs, and the team knows its public half from a `worker_key` record, made by an
-- administrator (or, for the founding administrator, on the laptop that founded the team).
-- Changes to workers, team settings, laptops, retention decisions, merges and dismissed
-- duplicates carry their author's signature, so no laptop can put them in another worker's name.
CREATE TABLE worker_keys (
    id          TEXT PRIMARY KEY,   -- hex of the public key
    worker_id   TEXT NOT NULL,
    laptop_id   TEXT NOT NULL,      -- the laptop whose key slot holds its secret
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

-- An operation's author signature (hex), over `store::signing::message`: kept so it travels
-- with the operation wherever it is relayed.
CREATE TABLE operation_signatures (
    op_id       TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    signature   TEXT NOT NULL
);

-- A worker's key the team does not know yet, waiting for an administrator to vouch for it
-- (after checking its fingerprint with the worker): asked for by the laptop whose slot holds
-- it, signed by the key itself, and carried in bundles until the key is known.
CREATE TABLE worker_key_requests (
    id          TEXT PRIMARY KEY,   -- hex of the public key
    worker_id   TEXT NOT NULL,
    laptop_id   TEXT NOT NULL,
    signature   TEXT NOT NULL,
    asked_at    TEXT NOT NULL,
    UNIQUE (worker_id, laptop_id)   -- the latest a laptop asked for, per worker
);
