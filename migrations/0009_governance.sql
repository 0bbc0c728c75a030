-- Information governance (issue 14): the disclosure log.

-- What was shared about a person, with whom, when, why, and on what basis: with their consent,
-- or without it on a named legal basis (e.g. safeguarding, Crime and Disorder Act 1998 s115).
-- Append-only: a disclosure made cannot be unmade.
CREATE TABLE disclosures (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    disclosed_on   TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    what           TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    basis          TEXT NOT NULL CHECK (basis IN ('consent', 'legal_basis')),
    legal_basis    TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX disclosures_by_client ON disclosures (client_id, disclosed_on);
