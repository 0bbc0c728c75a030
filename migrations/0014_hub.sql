-- A partnership hub enrolled with the team (sync.md "Beyond one team"): a device that only
-- receives. It holds the team key to open bundles and a key of its own so later team keys can be
-- sealed for it, but no laptop accepts a bundle it signs or a change it claims to have made.
-- Fixed at enrolment, like a laptop's key.
ALTER TABLE devices ADD COLUMN receives_only INTEGER NOT NULL DEFAULT 0;
