-- The Drug Rehabilitation Requirement (domain.md "DRR order"; Sentencing Act 2020 Sch 9
-- paras 19-22): the order, its weekly timetable, the testing ledger, failures to comply,
-- warnings, breach, review hearings with their progress reports. Dates are Europe/London
-- calendar dates. Every partial index serving a flag rule leads with client_id, so one
-- caseload's flags stay fast at 100,000 clients.

CREATE TABLE drr_orders (
    id                     TEXT PRIMARY KEY,
    client_id              TEXT NOT NULL,
    court                  TEXT NOT NULL,
    sentenced_on           TEXT NOT NULL,
    order_months           INTEGER NOT NULL,
    treatment_months       INTEGER NOT NULL,
    ends_on                TEXT NOT NULL,   -- sentenced_on + order_months (calendar months)
    treatment_ends_on      TEXT NOT NULL,
    reviews                INTEGER NOT NULL, -- the order provides for review hearings
    review_interval_months INTEGER,
    responsible_officer    TEXT NOT NULL,
    treatment_provider     TEXT NOT NULL,
    residential            INTEGER NOT NULL,
    exit_plan              TEXT,
    exit_plan_recorded_at  TEXT,
    status                 TEXT NOT NULL,   -- active | completed | revoked
    ended_on               TEXT,
    end_reason             TEXT,
    created_at             TEXT NOT NULL,
    created_by             TEXT NOT NULL
);
CREATE INDEX drr_orders_by_client ON drr_orders (client_id);
-- DRR-ENDING: live orders with no exit plan.
CREATE INDEX drr_orders_ending ON drr_orders (client_id, ends_on) WHERE status = 'active' AND exit_plan IS NULL;

-- A weekly slot ("key work, Tuesday 10:00"); its appointments are ordinary appointments
-- owned by the slot (owner_type 'drr_timetable').
CREATE TABLE drr_timetable (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL,
    order_id    TEXT NOT NULL,
    weekday     INTEGER NOT NULL,  -- 1 Monday .. 7 Sunday
    time        TEXT NOT NULL,     -- London wall-clock "10:00"
    kind        TEXT NOT NULL,
    place       TEXT NOT NULL,
    worker_id   TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ended_on    TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX drr_timetable_by_order ON drr_timetable (order_id);
CREATE INDEX drr_timetable_by_client ON drr_timetable (client_id);

-- The testing ledger: each test is booked as an appointment (owner_type 'drr_test').
CREATE TABLE drr_tests (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL,
    order_id         TEXT NOT NULL,
    appointment_id   TEXT NOT NULL,
    sample_type      TEXT NOT NULL,
    taken_on         TEXT,
    opiates          TEXT,   -- positive | negative | not_tested
    cocaine          TEXT,
    benzodiazepines  TEXT,
    methadone        TEXT,
    cannabis         TEXT,
    missed_reason    TEXT,
    recorded_at      TEXT,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL
);
CREATE INDEX drr_tests_by_order ON drr_tests (order_id);
CREATE INDEX drr_tests_by_client ON drr_tests (client_id);
-- DRR-TEST-MISSED: tests with neither a result nor a reason.
CREATE INDEX drr_tests_open ON drr_tests (client_id) WHERE taken_on IS NULL AND missed_reason IS NULL;

CREATE TABLE drr_failures (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    occurred_on     TEXT NOT NULL,
    appointment_id  TEXT,            -- the missed appointment or test, if any
    what            TEXT NOT NULL,
    acceptable      INTEGER NOT NULL,
    reason          TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX drr_failures_by_order ON drr_failures (order_id, occurred_on);
-- DRR-WARNING-DUE and DRR-BREACH: unacceptable failures.
CREATE INDEX drr_failures_unacceptable ON drr_failures (client_id) WHERE acceptable = 0;

CREATE TABLE drr_warnings (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL,
    order_id            TEXT NOT NULL,
    failure_id          TEXT NOT NULL,
    given_on            TEXT NOT NULL,
    letter_produced_at  TEXT,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL
);
CREATE INDEX drr_warnings_by_order ON drr_warnings (order_id, given_on);
CREATE INDEX drr_warnings_by_failure ON drr_warnings (failure_id);

CREATE TABLE drr_breaches (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    failure_id        TEXT NOT NULL,
    returned_on       TEXT NOT NULL,   -- returned to court
    court_decision    TEXT,            -- continues | amended | revoked_resentenced
    decided_on        TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL
);
CREATE INDEX drr_breaches_by_order ON drr_breaches (order_id);
CREATE INDEX drr_breaches_by_failure ON drr_breaches (failure_id);

CREATE TABLE drr_reviews (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL,
    order_id            TEXT NOT NULL,
    review_on           TEXT NOT NULL,
    court               TEXT NOT NULL,
    provider_views      TEXT,
    report_produced_at  TEXT,
    outcome             TEXT,
    outcome_recorded_at TEXT,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL
);
CREATE INDEX drr_reviews_by_order ON drr_reviews (order_id, review_on);
-- DRR-REVIEW-DUE: reviews to come with no progress report.
CREATE INDEX drr_reviews_without_report ON drr_reviews (client_id, review_on)
    WHERE report_produced_at IS NULL AND outcome_recorded_at IS NULL;
