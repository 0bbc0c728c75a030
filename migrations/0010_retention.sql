-- Retention (issue 14): closed cases past the team's retention period come up for review; each
-- is kept with a reason or anonymised. Nothing is deleted: an anonymised case keeps its rows,
-- dates and codes so the returns count it, with names, identifiers and free text removed.

-- When a case was closed, for the retention period to run from. Cases closed before this
-- version take the time of the last change to their record, which closing them was.
ALTER TABLE clients ADD COLUMN closed_at TEXT;
ALTER TABLE clients ADD COLUMN anonymised_at TEXT;
UPDATE clients SET closed_at = coalesce(
    (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', (max(o.hlc) >> 16) / 1000, 'unixepoch')
     FROM operations o WHERE o.record_type = 'client' AND o.record_id = clients.id),
    created_at)
WHERE status = 'closed';
CREATE INDEX clients_closed ON clients (closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;

-- Anonymising must leave nothing of the person in the file. Connections now zero what they
-- delete or overwrite (PRAGMA secure_delete, store/mod.rs) and the search index removes a
-- deleted entry at once rather than marking it; a database written before this keeps its old
-- free space until the first anonymisation rebuilds it (VACUUM) once.
ALTER TABLE installation ADD COLUMN free_space_clean INTEGER NOT NULL DEFAULT 0;
INSERT INTO client_search (client_search, rank) VALUES ('secure-delete', 1);

-- Each review of a closed case: kept (with the reason and when to look again) or anonymised.
-- Append-only, and it syncs: an anonymisation reaching another laptop removes the person there.
CREATE TABLE retention_reviews (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (decision IN ('kept', 'anonymised')),
    reason           TEXT NOT NULL,
    review_again_on  TEXT,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
);
CREATE INDEX retention_reviews_by_client ON retention_reviews (client_id, created_at);

-- A case note is never changed, except when the person it is about is anonymised.
DROP TRIGGER case_notes_are_append_only;
CREATE TRIGGER case_notes_are_append_only BEFORE UPDATE ON case_notes
WHEN (SELECT anonymised_at FROM clients WHERE id = OLD.client_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'case notes are append-only: add a correcting note'); END;
