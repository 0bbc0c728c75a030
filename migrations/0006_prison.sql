-- Prison, release and throughcare; referrals and treatment episodes (domain.md "Prison and
-- release", "Referral and treatment episode"). Dates are Europe/London calendar dates
-- ("2026-11-23"), instants UTC RFC 3339 text. The partial indexes serve the PRISON rules
-- (flags/prison.rs) and lead with client_id so one caseload stays fast at 100,000 clients.

CREATE TABLE prison_spells (
    id                        TEXT PRIMARY KEY,
    client_id                 TEXT NOT NULL,
    prison                    TEXT NOT NULL,   -- where the person is now (transfers move it)
    received_on               TEXT NOT NULL,
    custody_type              TEXT NOT NULL,   -- remanded | sentenced
    expected_release_on       TEXT,            -- every change is kept in the operation log
    licence_end_on            TEXT,
    in_prison_treatment       TEXT,
    released_on               TEXT,
    seen_at_gate              INTEGER,
    release_recorded_at       TEXT,
    release_cancelled_on      TEXT,            -- further remand: the expected release will not happen
    release_cancelled_reason  TEXT,
    created_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL
);
CREATE INDEX prison_spells_by_client ON prison_spells (client_id, received_on);
-- PRISON-RELEASE-NO-PLAN and PRISON-RELEASE-UNCONFIRMED: people still in with a release date.
CREATE INDEX prison_spells_awaiting_release ON prison_spells (client_id, expected_release_on)
    WHERE released_on IS NULL AND expected_release_on IS NOT NULL;
-- Coming releases, for the whole team, soonest first.
CREATE INDEX prison_spells_coming_releases ON prison_spells (expected_release_on)
    WHERE released_on IS NULL AND expected_release_on IS NOT NULL;
-- PRISON-NO-TREATMENT: releases.
CREATE INDEX prison_spells_released ON prison_spells (client_id, released_on)
    WHERE released_on IS NOT NULL;

CREATE TABLE prison_transfers (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    spell_id        TEXT NOT NULL,
    from_prison     TEXT NOT NULL,
    to_prison       TEXT NOT NULL,
    transferred_on  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX prison_transfers_by_client ON prison_transfers (client_id, transferred_on);

-- One throughcare plan per prison spell; the first community appointment is an appointment
-- owned by the spell (owner_type 'throughcare').
CREATE TABLE throughcare_plans (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL,
    spell_id            TEXT NOT NULL UNIQUE,
    accommodation       TEXT NOT NULL,
    prescribing         TEXT NOT NULL,   -- bridging_arranged | community_script_arranged | not_needed | not_arranged
    prescribing_detail  TEXT,
    naloxone_supplied   INTEGER NOT NULL,
    gate_contact        TEXT,            -- who meets them at the gate
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL
);
CREATE INDEX throughcare_plans_by_client ON throughcare_plans (client_id);

CREATE TABLE treatment_episodes (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL,
    service               TEXT NOT NULL,
    criminal_justice      INTEGER NOT NULL,   -- 004: criminal-justice referrals are counted apart
    referred_on           TEXT NOT NULL,
    assessed_on           TEXT,
    treatment_started_on  TEXT,
    modality              TEXT,
    discharged_on         TEXT,
    discharge_reason      TEXT,
    created_at            TEXT NOT NULL,
    created_by            TEXT NOT NULL
);
-- PRISON-NO-TREATMENT: a treatment start on or after a release.
CREATE INDEX treatment_episodes_by_client ON treatment_episodes (client_id, treatment_started_on);
