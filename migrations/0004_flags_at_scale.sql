-- Flags at scale (flags/, performance.md: one caseload in 50 ms and the whole database in
-- 500 ms at 100,000 clients and 2,000,000 events).

-- Client-keyed partial indexes: for one worker's caseload or one client, a rule probes these
-- once per client in scope instead of walking every matching record in the database.
-- CUS-FAIL-ATTEND and COURT-ROB-MISSED.
CREATE INDEX appointments_unreported_failures_by_client ON appointments (client_id)
    WHERE failure_reported_at IS NULL AND (status = 'did_not_attend' OR remained = 0);
-- APPT-NO-OUTCOME.
CREATE INDEX appointments_awaiting_outcome_by_client ON appointments (client_id, at) WHERE status = 'scheduled';
-- COURT-HEARING-SOON.
CREATE INDEX court_hearings_without_note_by_client ON court_hearings (client_id, at) WHERE court_note IS NULL;
-- The latest consent of a client (CONSENT-MISSING's sentence, the record's consent panel).
CREATE INDEX consents_by_client_latest ON consents (client_id, given_on, id);
DROP INDEX consents_by_client;

-- What the whole-case rules (CONSENT-MISSING, CASE-NO-CONTACT) need about each client record,
-- recomputed by the triggers below in the same transaction as any record that changes it, so
-- those rules read only the clients they flag instead of every active client. Derived from the
-- records and never synced: `case_activity_from_records` is the definition, and a property
-- test (core/tests/flags.rs) holds the table equal to it after random histories.
CREATE VIEW case_activity_from_records AS
SELECT id AS client_id,
       status = 'active' AS active,
       created_at,
       last_contact_at,
       max(created_at, coalesce(last_contact_at, '')) AS quiet_since,
       consent_until
FROM (
    SELECT c.id, c.status, c.created_at,
           -- A recorded contact or an attended appointment.
           nullif(max(coalesce((SELECT max(k.at) FROM contacts k WHERE k.client_id = c.id), ''),
                      coalesce((SELECT max(a.at) FROM appointments a WHERE a.client_id = c.id AND a.status = 'attended'), '')),
                  '') AS last_contact_at,
           -- Consent is current while a consent not withdrawn is before its review date (consent
           -- cannot be given in the future); '' when there is none.
           coalesce((SELECT max(k.review_on) FROM consents k WHERE k.client_id = c.id AND k.withdrawn_on IS NULL), '')
               AS consent_until
    FROM clients c
);

CREATE TABLE case_activity (
    client_id        TEXT PRIMARY KEY,
    active           INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    last_contact_at  TEXT,
    quiet_since      TEXT NOT NULL,
    consent_until    TEXT NOT NULL
) WITHOUT ROWID;
-- CASE-NO-CONTACT: active clients quiet since before the cut-off.
CREATE INDEX case_activity_quiet ON case_activity (quiet_since) WHERE active = 1;
-- CONSENT-MISSING: active clients whose consent ran out before today, or who have none.
CREATE INDEX case_activity_consent ON case_activity (consent_until) WHERE active = 1;

INSERT INTO case_activity SELECT * FROM case_activity_from_records;

CREATE TRIGGER case_activity_client_added AFTER INSERT ON clients BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = NEW.id;
END;
CREATE TRIGGER case_activity_client_changed AFTER UPDATE OF status, created_at ON clients BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = NEW.id;
END;
CREATE TRIGGER case_activity_client_removed AFTER DELETE ON clients BEGIN
    DELETE FROM case_activity WHERE client_id = OLD.id;
END;

CREATE TRIGGER case_activity_contact_added AFTER INSERT ON contacts BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER case_activity_contact_changed AFTER UPDATE OF client_id, at ON contacts BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER case_activity_contact_removed AFTER DELETE ON contacts BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = OLD.client_id;
END;

CREATE TRIGGER case_activity_attended_added AFTER INSERT ON appointments WHEN NEW.status = 'attended' BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER case_activity_attended_changed AFTER UPDATE OF client_id, at, status ON appointments
    WHEN OLD.status = 'attended' OR NEW.status = 'attended' BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER case_activity_attended_removed AFTER DELETE ON appointments WHEN OLD.status = 'attended' BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = OLD.client_id;
END;

CREATE TRIGGER case_activity_consent_added AFTER INSERT ON consents BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER case_activity_consent_changed AFTER UPDATE ON consents BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER case_activity_consent_removed AFTER DELETE ON consents BEGIN
    INSERT OR REPLACE INTO case_activity SELECT * FROM case_activity_from_records WHERE client_id = OLD.client_id;
END;

-- Required assessments still to book (CUS-ASSESS-MISSING, CUS-FOLLOWUP-DUE): positive tests
-- with no initial assessment booked, and RA4 decisions with no follow-up booked. Years of
-- history hold tens of thousands of positive tests and RA4 decisions, nearly all long since
-- booked; this table, kept by the triggers below like `case_activity`, holds only the few
-- still open. `assessments_to_book_from_records` is the definition.
CREATE VIEW assessments_to_book_from_records AS
SELECT x.id AS record_id, 'initial' AS kind, x.client_id
FROM tests_on_arrest x
WHERE (x.opiates = 'positive' OR x.cocaine = 'positive')
  AND NOT EXISTS (SELECT 1 FROM required_assessments r JOIN appointments a ON a.id = r.appointment_id
                  WHERE r.test_id = x.id AND a.status <> 'cancelled')
UNION ALL
SELECT x.id, 'follow_up', x.client_id
FROM required_assessments x
WHERE x.follow_up_required = 1
  AND NOT EXISTS (SELECT 1 FROM required_assessments f JOIN appointments a ON a.id = f.appointment_id
                  WHERE f.initial_assessment_id = x.id AND a.status <> 'cancelled');

CREATE TABLE assessments_to_book (
    record_id  TEXT PRIMARY KEY,   -- the positive test (initial) or the initial assessment (follow_up)
    kind       TEXT NOT NULL,
    client_id  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX assessments_to_book_by_client ON assessments_to_book (client_id);

INSERT INTO assessments_to_book SELECT * FROM assessments_to_book_from_records;

CREATE TRIGGER assessments_to_book_test_added AFTER INSERT ON tests_on_arrest BEGIN
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records WHERE record_id = NEW.id;
END;
CREATE TRIGGER assessments_to_book_test_changed AFTER UPDATE ON tests_on_arrest BEGIN
    DELETE FROM assessments_to_book WHERE record_id IN (OLD.id, NEW.id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records WHERE record_id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER assessments_to_book_test_removed AFTER DELETE ON tests_on_arrest BEGIN
    DELETE FROM assessments_to_book WHERE record_id = OLD.id;
END;

-- An assessment changes whether its test, the initial assessment it follows, and itself (as
-- an RA4 decision) still need booking.
CREATE TRIGGER assessments_to_book_assessment_added AFTER INSERT ON required_assessments BEGIN
    DELETE FROM assessments_to_book WHERE record_id IN (NEW.id, NEW.test_id, NEW.initial_assessment_id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records
        WHERE record_id IN (NEW.id, NEW.test_id, NEW.initial_assessment_id);
END;
CREATE TRIGGER assessments_to_book_assessment_changed AFTER UPDATE ON required_assessments BEGIN
    DELETE FROM assessments_to_book
        WHERE record_id IN (OLD.id, OLD.test_id, OLD.initial_assessment_id, NEW.id, NEW.test_id, NEW.initial_assessment_id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records
        WHERE record_id IN (OLD.id, OLD.test_id, OLD.initial_assessment_id, NEW.id, NEW.test_id, NEW.initial_assessment_id);
END;
CREATE TRIGGER assessments_to_book_assessment_removed AFTER DELETE ON required_assessments BEGIN
    DELETE FROM assessments_to_book WHERE record_id IN (OLD.id, OLD.test_id, OLD.initial_assessment_id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records
        WHERE record_id IN (OLD.test_id, OLD.initial_assessment_id);
END;

-- An assessment's appointment booked, cancelled or moved between clients.
CREATE TRIGGER assessments_to_book_appointment_changed AFTER UPDATE OF status, client_id ON appointments
    WHEN NEW.owner_type = 'required_assessment' OR OLD.owner_type = 'required_assessment' BEGIN
    DELETE FROM assessments_to_book WHERE record_id IN (
        SELECT test_id FROM required_assessments WHERE appointment_id = NEW.id
        UNION ALL SELECT initial_assessment_id FROM required_assessments WHERE appointment_id = NEW.id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records WHERE record_id IN (
        SELECT test_id FROM required_assessments WHERE appointment_id = NEW.id
        UNION ALL SELECT initial_assessment_id FROM required_assessments WHERE appointment_id = NEW.id);
END;
CREATE TRIGGER assessments_to_book_appointment_added AFTER INSERT ON appointments
    WHEN NEW.owner_type = 'required_assessment' BEGIN
    DELETE FROM assessments_to_book WHERE record_id IN (
        SELECT test_id FROM required_assessments WHERE appointment_id = NEW.id
        UNION ALL SELECT initial_assessment_id FROM required_assessments WHERE appointment_id = NEW.id);
    INSERT OR REPLACE INTO assessments_to_book SELECT * FROM assessments_to_book_from_records WHERE record_id IN (
        SELECT test_id FROM required_assessments WHERE appointment_id = NEW.id
        UNION ALL SELECT initial_assessment_id FROM required_assessments WHERE appointment_id = NEW.id);
END;
