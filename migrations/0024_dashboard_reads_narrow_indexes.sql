-- The team's dashboard reads a year of each client's first test on arrest (caseload.known and
-- re-arrest) and, for each positive test, whether its initial assessment was attended and
-- completed (custody.assessed). Counted with the page cache cold, as the dashboard opens,
-- both read wider entries than they need, and every page read is decrypted.

-- First tests: the kept table's rows carry every column one worker's dashboard reads (results,
-- offence, worker); the year's first tests need four of them. 3,889 -> 2,378 pages for a year
-- at bench scale (100,000 clients), 51 -> 28 ms.
CREATE INDEX arrests_in_sequence_first ON arrests_in_sequence (tested_at, previous_at, days_to_next, client_id);

-- Assessments attended and completed (RA3: attended and remained): only those, keyed by their
-- assessment, rather than every assessment appointment with its outcome. Read only by that
-- measure. The outcome's columns are in the key again, though every entry has the same, so
-- that SQLite, matching each term, prefers it to `appointments_by_owner` (which reads the
-- rows). The year's positive tests with their assessments: 3,307 -> 2,927 pages.
DROP INDEX appointments_assessment_outcomes;
CREATE INDEX appointments_assessments_completed ON appointments (owner_id, status, remained)
    WHERE owner_type = 'required_assessment' AND status = 'attended' AND remained = 1;
