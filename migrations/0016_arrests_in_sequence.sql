-- Re-arrest and each client's first test on arrest in a period (dashboard/custody.rs), kept
-- in the write transaction so that a year for the whole team reads one range of this table
-- instead of grouping a year's tests by client and probing each client's later tests.
--
-- Each test on arrest with the one before it (by time, then id) and how many London days
-- after it the client was next tested on a later day. A test is a client's first in a period
-- when the one before it is earlier than the period; the client was re-arrested within 12
-- months of it when the next day tested is at most 365 days on. Derived from the records and
-- never synced: `arrests_in_sequence_from_records` is the definition, and a property test
-- (core/tests/dashboard.rs) holds the table equal to it, and the figures read from it equal to
-- the same figures worked out from the tests alone.
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
           AS days_to_next
FROM tests_on_arrest x;

CREATE TABLE arrests_in_sequence (
    test_id       TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    tested_at     TEXT NOT NULL,
    previous_at   TEXT,
    days_to_next  INTEGER,
    -- A period's tests are one range, in time order.
    PRIMARY KEY (tested_at, test_id)
) WITHOUT ROWID;
-- One worker's clients' tests, and the triggers' recomputation of one client.
CREATE INDEX arrests_in_sequence_by_client ON arrests_in_sequence (client_id, tested_at, previous_at, days_to_next);

INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records;

-- A client has a handful of tests: each change recomputes all of that client's.
CREATE TRIGGER arrests_in_sequence_test_added AFTER INSERT ON tests_on_arrest BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id = NEW.client_id;
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER arrests_in_sequence_test_changed AFTER UPDATE OF client_id, tested_at ON tests_on_arrest BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id IN (OLD.client_id, NEW.client_id);
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER arrests_in_sequence_test_removed AFTER DELETE ON tests_on_arrest BEGIN
    DELETE FROM arrests_in_sequence WHERE client_id = OLD.client_id;
    INSERT INTO arrests_in_sequence SELECT * FROM arrests_in_sequence_from_records WHERE client_id = OLD.client_id;
END;
