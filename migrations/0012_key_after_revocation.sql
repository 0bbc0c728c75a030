-- The team key a revocation turned over, named (by its id, never the key) in the revocation
-- itself. A laptop seals its bundles only with a key some accepted revocation named, so a key
-- made by a laptop that was itself revoked (a thief "revoking" another laptop) is never used,
-- even by laptops that took it from a bundle before they heard of the revocation.
ALTER TABLE devices ADD COLUMN key_after_revocation TEXT;

-- Which team key each imported bundle was sealed with, so the laptops screen can say which
-- laptops have sent with the current key (two keys may share a generation).
ALTER TABLE sync_bundles ADD COLUMN key_id TEXT;
