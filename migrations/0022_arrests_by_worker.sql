-- One worker's dashboard reads their caseload's tests on arrest and first tests as one range
-- of the kept table (0016), instead of looking up each of their two thousand clients' tests
-- in client-keyed indexes: each row now carries the test's results and the worker whose
-- caseload the client is in today (of the record it was merged into, for a merged one, as
-- the dashboard counts it), and an index by worker and time carries every column read.
-- The table stays derived and never synced: the view is still its definition, and the
-- property tests (core/tests/dashboard.rs, core/tests/flags.rs) hold it equal through tests
-- recorded, corrected and set aside, cases reallocated and records merged.

-- Whose caseload each client's records count in (the dashboard's one-worker scope).
CREATE VIEW clients_dashboard_worker AS
SELECT c.id AS client_id, h.allocated_worker_id AS worker_id
FROM clients c
JOIN clients h ON h.id = (CASE WHEN c.status = 'merged' THEN c.merged_into ELSE c.id END);

DROP TRIGGER arrests_in_sequence_test_added;
DROP TRIGGER arrests_in_sequence_test_changed;
DROP TRIGGER arrests_in_sequence_test_removed;
DROP VIEW arrests_in_sequence_from_records;
DROP TABLE arrests_in_sequence;

CREATE VIEW arrests_in_sequence_from_records AS
SELECT x.id AS test_id,
       x.client_id,
       x.tested_at,
       (SELECT max(p.tested_at) FROM tests_on_arrest p
        WHERE p.client_id = x.client_id AND (p.tested_at < x.tested_at OR (p.tested_at = x.tested_at AND p.id < x.id)))
           AS previous_at,
       (SELECT CAST(julianday(london_date(min(n.tested_at))) - julianday(london_date(x.tested_at)) AS INTEGER)
        FROM tests_on_arrest n
        WHERE n.client_id = x.client_id AND n.tested_at > x.tested_at AND london_date(n.tested_at) > london_date(x.tested_at))
           AS days_to_next,
       x.opiates,
       x.cocaine,
       x.discretionary,
       x.trigger_offence,
       (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = x.client_id) AS worker_id
FROM tests_on_arrest x;

CREATE TABLE arrests_in_sequence (
    test_id          TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    tested_at        TEXT NOT NULL,
    previous_at      TEXT,
    days_to_next     INTEGER,
    opiates          TEXT NOT NULL,
    cocaine          TEXT NOT NULL,
    discretionary    INTEGER NOT NULL,
    trigger_offence  TEXT,
    worker_id        TEXT,
    -- A period's tests are one range, in time order.
    PRIMARY KEY (tested_at, test_id)
) WITHOUT ROWID;
-- The triggers' recomputation of one client.
CREATE INDEX arrests_in_sequence_by_client ON arrests_in_sequence (client_id, tested_at, previous_at, days_to_next);
-- One worker's period: one range, every column read (the key's tested_at and test_id come with it).
CREATE INDEX arrests_in_sequence_by_worker
    ON arrests_in_sequence (worker_id, tested_at, client_id, previous_at, days_to_next, opiates, cocaine, discretionary, trigger_offence);

INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records;

-- A client has a handful of tests: each change recomputes all of that client's.
CREATE TRIGGER arrests_in_sequence_test_added AFTER INSERT ON tests_on_arrest BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id = NEW.client_id;
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id = NEW.client_id;
END;
-- A save writes every column: only a change to what the table holds recomputes anything.
CREATE TRIGGER arrests_in_sequence_test_changed
AFTER UPDATE OF client_id, tested_at, opiates, cocaine, discretionary, trigger_offence ON tests_on_arrest
WHEN OLD.client_id IS NOT NEW.client_id OR OLD.tested_at IS NOT NEW.tested_at OR OLD.opiates IS NOT NEW.opiates
  OR OLD.cocaine IS NOT NEW.cocaine OR OLD.discretionary IS NOT NEW.discretionary OR OLD.trigger_offence IS NOT NEW.trigger_offence
BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id IN (OLD.client_id, NEW.client_id);
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER arrests_in_sequence_test_removed AFTER DELETE ON tests_on_arrest BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id = OLD.client_id;
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id = OLD.client_id;
END;

-- A case given to another worker, merged, or arriving after its tests (a bundle's order): the
-- client's tests, and those of every record merged into it, move with it.
CREATE TRIGGER arrests_in_sequence_client_added AFTER INSERT ON clients
WHEN EXISTS (SELECT 1 FROM arrests_in_sequence WHERE client_id = NEW.id) OR EXISTS (SELECT 1 FROM clients WHERE merged_into = NEW.id)
BEGIN
    UPDATE arrests_in_sequence SET worker_id = (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = arrests_in_sequence.client_id)
    WHERE client_id = NEW.id;
    UPDATE arrests_in_sequence SET worker_id = (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = arrests_in_sequence.client_id)
    WHERE client_id IN (SELECT m.id FROM clients m WHERE m.merged_into = NEW.id);
END;
CREATE TRIGGER arrests_in_sequence_client_moved AFTER UPDATE OF allocated_worker_id, status, merged_into ON clients
WHEN OLD.allocated_worker_id IS NOT NEW.allocated_worker_id OR OLD.merged_into IS NOT NEW.merged_into
  OR (OLD.status = 'merged') IS NOT (NEW.status = 'merged')
BEGIN
    UPDATE arrests_in_sequence SET worker_id = (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = arrests_in_sequence.client_id)
    WHERE client_id = NEW.id;
    UPDATE arrests_in_sequence SET worker_id = (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = arrests_in_sequence.client_id)
    WHERE client_id IN (SELECT m.id FROM clients m WHERE m.merged_into = NEW.id);
END;
CREATE TRIGGER arrests_in_sequence_client_removed AFTER DELETE ON clients BEGIN
    UPDATE arrests_in_sequence SET worker_id = NULL WHERE client_id = OLD.id;
    UPDATE arrests_in_sequence SET worker_id = (SELECT w.worker_id FROM clients_dashboard_worker w WHERE w.client_id = arrests_in_sequence.client_id)
    WHERE client_id IN (SELECT m.id FROM clients m WHERE m.merged_into = OLD.id);
END;
