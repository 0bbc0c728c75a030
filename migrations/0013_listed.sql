-- The people a list showed (a page of a caseload, of flags, of search results), under the one
-- audit entry for that list: one write a list shown, not one hash-chained entry a person, and a
-- person's access report still finds every list that showed them. The entry's detail holds a
-- hash of the people, so the trail check finds one added or taken out. Append-only, as the
-- trail is.
CREATE TABLE audit_listed (
    client_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (client_id, seq)
) WITHOUT ROWID;
CREATE INDEX audit_listed_by_entry ON audit_listed (seq);
CREATE TRIGGER audit_listed_is_append_only_update BEFORE UPDATE ON audit_listed
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_listed_is_append_only_delete BEFORE DELETE ON audit_listed
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- A worker's caseload a page at a time, in surname order, straight from the index.
CREATE INDEX clients_caseload_by_name ON clients (allocated_worker_id, status, surname, forenames, id);
