-- Custody and court (domain.md "Test on arrest", "Required assessments", "Conditional
-- caution", "Court", "Appointment", "Case note"). Instants are UTC RFC 3339 text, dates are
-- Europe/London calendar dates. The partial indexes serve the flag rules (flags/), which must
-- stay fast at 100,000 clients and 2,000,000 events (performance.md).

-- Appointments owned by any stage: owner_type names the owning record's kind and owner_id
-- its id (for 'general' appointments, the client's id).
CREATE TABLE appointments (
    id                   TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL,
    owner_type           TEXT NOT NULL,   -- required_assessment | restriction_on_bail | conditional_caution | general
    owner_id             TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    at                   TEXT NOT NULL,
    place                TEXT NOT NULL,
    worker_id            TEXT NOT NULL,
    status               TEXT NOT NULL,   -- scheduled | attended | did_not_attend | cancelled | rescheduled
    remained             INTEGER,         -- assessments only: remained for the whole assessment
    cancelled_by         TEXT,
    outcome_recorded_at  TEXT,
    failure_document_at  TEXT,            -- evidential statement / breach notice first produced
    failure_reported_at  TEXT,            -- marked sent to the police / court
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX appointments_by_owner ON appointments (owner_type, owner_id);
CREATE INDEX appointments_by_client ON appointments (client_id, status, at);
CREATE INDEX appointments_by_worker ON appointments (worker_id, at);
-- APPT-NO-OUTCOME: scheduled appointments whose time has passed.
CREATE INDEX appointments_awaiting_outcome ON appointments (at) WHERE status = 'scheduled';
-- CUS-FAIL-ATTEND and COURT-ROB-MISSED: failures not yet reported.
CREATE INDEX appointments_unreported_failures ON appointments (owner_type)
    WHERE failure_reported_at IS NULL AND (status = 'did_not_attend' OR remained = 0);

CREATE TABLE tests_on_arrest (
    id                     TEXT PRIMARY KEY,
    client_id              TEXT NOT NULL,
    custody_suite          TEXT NOT NULL,
    arrested_at            TEXT NOT NULL,
    trigger_offence        TEXT,
    discretionary          INTEGER NOT NULL,
    tested_at              TEXT NOT NULL,
    opiates                TEXT NOT NULL,   -- positive | negative | refused | not_tested
    cocaine                TEXT NOT NULL,
    disputed               INTEGER NOT NULL,
    sent_for_confirmation  INTEGER NOT NULL,
    sample_type            TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    created_by             TEXT NOT NULL
);
CREATE INDEX tests_on_arrest_by_client ON tests_on_arrest (client_id, tested_at);
-- CUS-ASSESS-MISSING: positive tests.
CREATE INDEX tests_on_arrest_positive ON tests_on_arrest (tested_at)
    WHERE opiates = 'positive' OR cocaine = 'positive';

CREATE TABLE required_assessments (
    id                     TEXT PRIMARY KEY,
    client_id              TEXT NOT NULL,
    kind                   TEXT NOT NULL,   -- initial | follow_up
    test_id                TEXT,
    initial_assessment_id  TEXT,
    appointment_id         TEXT NOT NULL,
    notice_given_at        TEXT,            -- RA1 / RA4 notice of the appointment
    notice_given_by        TEXT,
    follow_up_required     INTEGER,         -- null: not decided; 1: RA4; 0: RA5 (ceases)
    decided_at             TEXT,
    decided_by             TEXT,
    created_at             TEXT NOT NULL,
    created_by             TEXT NOT NULL
);
CREATE INDEX required_assessments_by_client ON required_assessments (client_id);
CREATE INDEX required_assessments_by_test ON required_assessments (test_id) WHERE test_id IS NOT NULL;
CREATE INDEX required_assessments_by_initial ON required_assessments (initial_assessment_id)
    WHERE initial_assessment_id IS NOT NULL;
CREATE INDEX required_assessments_by_appointment ON required_assessments (appointment_id);
-- CUS-FOLLOWUP-DUE: follow-ups required (RA4).
CREATE INDEX required_assessments_follow_up_required ON required_assessments (decided_at)
    WHERE follow_up_required = 1;

CREATE TABLE conditional_cautions (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    conditions   TEXT NOT NULL,
    complete_by  TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX conditional_cautions_by_client ON conditional_cautions (client_id);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,   -- custody_cold_call | phone | other
    at          TEXT NOT NULL,
    summary     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX contacts_by_client ON contacts (client_id, at);

-- Append-only: a correction is a new note naming the one it corrects.
CREATE TABLE case_notes (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL,
    record_type       TEXT,
    record_id         TEXT,
    text              TEXT NOT NULL,
    corrects_note_id  TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL
);
CREATE INDEX case_notes_by_client ON case_notes (client_id, created_at);
CREATE TRIGGER case_notes_are_append_only BEFORE UPDATE ON case_notes
BEGIN SELECT RAISE(ABORT, 'case notes are append-only: add a correcting note'); END;

CREATE TABLE court_hearings (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL,
    court             TEXT NOT NULL,
    at                TEXT NOT NULL,
    hearing_type      TEXT NOT NULL,
    outcome           TEXT,
    next_hearing_on   TEXT,
    court_note        TEXT,
    note_recorded_at  TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL
);
CREATE INDEX court_hearings_by_client ON court_hearings (client_id, at);
-- COURT-HEARING-SOON: hearings with no court report or note yet.
CREATE INDEX court_hearings_without_note ON court_hearings (at) WHERE court_note IS NULL;

CREATE TABLE bail_decisions (
    id                   TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL,
    hearing_id           TEXT NOT NULL,
    decided_on           TEXT NOT NULL,
    bail_status          TEXT NOT NULL,   -- unconditional | conditional | remanded
    conditions           TEXT,
    restriction_on_bail  INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX bail_decisions_by_client ON bail_decisions (client_id);
CREATE INDEX bail_decisions_by_hearing ON bail_decisions (hearing_id);

CREATE TABLE drr_suitability_assessments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL,
    hearing_id   TEXT,
    assessed_on  TEXT NOT NULL,
    suitable     INTEGER NOT NULL,
    proposal     TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX drr_suitability_assessments_by_client ON drr_suitability_assessments (client_id);
