-- One worker's dashboard starts from their clients and probes each one's records through the
-- client-keyed indexes (0007). These now carry every column its measures read, so a caseload's
-- year of tests, appointments, bail decisions, reviews and treatment is read from index entries
-- alone, never visiting the (encrypted) table rows one by one. Each keeps its name and its
-- leading columns, so every other query that used it still can.
DROP INDEX tests_on_arrest_by_client;
CREATE INDEX tests_on_arrest_by_client
    ON tests_on_arrest (client_id, tested_at, opiates, cocaine, discretionary, trigger_offence, id);
DROP INDEX appointments_by_client_owner;
CREATE INDEX appointments_by_client_owner ON appointments (client_id, owner_type, at, status, remained, id);
DROP INDEX bail_decisions_by_client;
CREATE INDEX bail_decisions_by_client ON bail_decisions (client_id, decided_on, restriction_on_bail, bail_status);
DROP INDEX drr_reviews_by_client;
CREATE INDEX drr_reviews_by_client ON drr_reviews (client_id, review_on, outcome_recorded_at, report_produced_at);
DROP INDEX treatment_episodes_by_client;
CREATE INDEX treatment_episodes_by_client ON treatment_episodes (client_id, treatment_started_on, referred_on, criminal_justice);
