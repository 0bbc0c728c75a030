-- The team lead's dashboard (core/src/dashboard): each measure reads one kind of event in a
-- period. A year at bench scale is tens of thousands of rows per measure, more than the page
-- cache holds, so the indexes a measure reads carry every column it needs (covering) and the
-- table rows are never visited. For one worker the measures probe the client-keyed indexes.
CREATE INDEX tests_on_arrest_by_time
    ON tests_on_arrest (tested_at, client_id, opiates, cocaine, discretionary, trigger_offence);
DROP INDEX tests_on_arrest_positive;
CREATE INDEX tests_on_arrest_positive ON tests_on_arrest (tested_at, client_id, opiates, cocaine, discretionary, trigger_offence, id)
    WHERE opiates = 'positive' OR cocaine = 'positive';
CREATE INDEX clients_by_created_at ON clients (created_at, status, id);
CREATE INDEX clients_by_status ON clients (status, id);
-- Required assessments and Restriction on Bail appointments, by time, with their outcome.
-- `at IS NOT NULL` (always true) keeps these for queries that bound `at`, as the dashboard's
-- do: the flags' queries on the same owner types do not, and keep their smaller indexes.
CREATE INDEX appointments_assessments_by_time ON appointments (at, status, remained, client_id, id)
    WHERE owner_type = 'required_assessment' AND at IS NOT NULL;
CREATE INDEX appointments_rob_by_time ON appointments (at, status, client_id)
    WHERE owner_type = 'restriction_on_bail' AND at IS NOT NULL;
-- An assessment's or a caution's appointments with their outcome, read without the rows.
-- (`owner_id IS NOT NULL`, always true, keeps them to queries naming the owner, as the
-- dashboard's do; the flags' queries keep the indexes they were designed with.)
CREATE INDEX appointments_assessment_outcomes ON appointments (owner_id, status, remained)
    WHERE owner_type = 'required_assessment' AND owner_id IS NOT NULL;
CREATE INDEX appointments_caution_outcomes ON appointments (owner_id, status)
    WHERE owner_type = 'conditional_caution' AND owner_id IS NOT NULL;
DROP INDEX required_assessments_by_test;
CREATE INDEX required_assessments_by_test ON required_assessments (test_id, kind, id) WHERE test_id IS NOT NULL;
DROP INDEX required_assessments_by_appointment;
CREATE INDEX required_assessments_by_appointment ON required_assessments (appointment_id, kind);
CREATE INDEX conditional_cautions_by_given_on ON conditional_cautions (given_on, client_id, id);
CREATE INDEX bail_decisions_by_decided_on ON bail_decisions (decided_on, client_id, bail_status, restriction_on_bail);
CREATE INDEX drr_orders_by_sentenced_on ON drr_orders (sentenced_on, client_id);
CREATE INDEX drr_orders_by_ended_on ON drr_orders (ended_on, status, client_id) WHERE ended_on IS NOT NULL;
CREATE INDEX drr_breaches_by_returned_on ON drr_breaches (returned_on, client_id);
CREATE INDEX drr_reviews_by_review_on ON drr_reviews (review_on, client_id, outcome_recorded_at, report_produced_at);
CREATE INDEX prison_spells_by_released_on ON prison_spells (released_on, client_id, seen_at_gate) WHERE released_on IS NOT NULL;
CREATE INDEX treatment_episodes_by_referred_on ON treatment_episodes (referred_on, client_id);
CREATE INDEX treatment_episodes_by_started_on ON treatment_episodes (treatment_started_on, criminal_justice, client_id, referred_on)
    WHERE treatment_started_on IS NOT NULL;
-- One worker's dashboard starts from their clients and probes each one's records.
CREATE INDEX appointments_by_client_owner ON appointments (client_id, owner_type, at);
CREATE INDEX drr_breaches_by_client ON drr_breaches (client_id, returned_on);
CREATE INDEX drr_reviews_by_client ON drr_reviews (client_id, review_on);
