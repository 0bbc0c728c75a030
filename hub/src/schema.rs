//! The hub's PostgreSQL schema. `hub` holds what the hub itself knows (teams, their laptops,
//! every bundle offered and what became of it, its own audit log); each team's records live in
//! a schema of their own, `team_<id>`, with the tables and columns the measures read
//! (`dashboard::READS`) under the names the laptop gives them, so the measures' one SQL text
//! runs on both engines. docs/hub.md says how this distributes on Citus.
use crate::figures;
use postgres::Transaction;
use sha2::{Digest, Sha256};
use throughline_core::dashboard::READS;

pub const SETUP: &str = "
CREATE SCHEMA IF NOT EXISTS hub;
CREATE TABLE IF NOT EXISTS hub.teams (
    team_id      text PRIMARY KEY,
    team_name    text NOT NULL,
    schema_name  text NOT NULL UNIQUE,
    hub_label    text NOT NULL,
    enrolled_at  timestamptz NOT NULL,
    -- How many operations the team's replica held when its records were last copied here.
    operations   bigint NOT NULL DEFAULT 0,
    copied_at    timestamptz,
    continuity_target_percent integer NOT NULL DEFAULT 75
);
-- What made each team's kept counts (a hash of the kept measures' query), so a hub updated
-- since makes them again.
ALTER TABLE hub.teams ADD COLUMN IF NOT EXISTS counted_with text;
CREATE TABLE IF NOT EXISTS hub.laptops (
    team_id      text NOT NULL REFERENCES hub.teams,
    device_id    text NOT NULL,
    label        text NOT NULL,
    receives_only boolean NOT NULL,
    revoked_at   timestamptz,
    PRIMARY KEY (team_id, device_id)
);
-- Every bundle offered to the hub, once per file content: imported, already held, or refused
-- and why. A refused bundle may belong to no team the hub knows.
CREATE TABLE IF NOT EXISTS hub.bundles (
    seq          bigserial PRIMARY KEY,
    bundle_hash  text NOT NULL,
    file         text NOT NULL,
    team_id      text,
    laptop_id    text,
    laptop       text,
    exported_at  timestamptz,
    received_at  timestamptz NOT NULL,
    operations   bigint,
    new_operations bigint,
    refused      text
);
CREATE INDEX IF NOT EXISTS bundles_by_team ON hub.bundles (team_id, laptop_id, received_at);
CREATE TABLE IF NOT EXISTS hub.audit (
    seq          bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    operator     text NOT NULL DEFAULT current_user,
    action       text NOT NULL,
    detail       text NOT NULL
);

-- SQLite's date functions in the forms the measures use, with SQLite's meaning, so a measure's
-- SQL is written once (dashboard/*.rs). Instants are stored as the laptop stores them, RFC 3339
-- text in UTC; days as 'YYYY-MM-DD'. The session's time zone is UTC. SQLite's julianday and
-- date give NULL for what is not a date (a record a laptop sent with one malformed), where
-- PostgreSQL's casts raise; the laptop's london_date raises too.
CREATE OR REPLACE FUNCTION public.london_date(t text) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT to_char((t::timestamptz AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') $$;
CREATE OR REPLACE FUNCTION public.julianday(t text) RETURNS double precision LANGUAGE plpgsql STABLE AS
  $$ BEGIN RETURN extract(epoch FROM t::timestamptz)::double precision / 86400.0 + 2440587.5;
     EXCEPTION WHEN data_exception THEN RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION public.sqlite_date(t text, modifier text) RETURNS text LANGUAGE plpgsql STABLE AS
  $$ BEGIN RETURN to_char(t::date + modifier::interval, 'YYYY-MM-DD');
     EXCEPTION WHEN data_exception THEN RETURN NULL; END $$;
-- No measure the hub runs calls strftime now (first tests are read from the kept table).
DROP FUNCTION IF EXISTS public.strftime(text, text, text);
DROP FUNCTION IF EXISTS public.strftime_unknown(text);
";

/// A team's schema name: its id, which is a UUID, as hex.
pub fn team_schema(team_id: &str) -> String {
    let hex: String = team_id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).take(40).collect();
    format!("team_{hex}")
}

/// Every table of a team's copy: what the measures read, and the kept counts.
pub fn tables() -> impl Iterator<Item = &'static str> {
    READS.iter().map(|(t, _)| *t).chain([figures::COUNTED])
}

/// What makes a team's kept counts now, hashed: the kept measures' query as PostgreSQL runs it,
/// and the functions it calls.
pub fn counted_with() -> String {
    hex::encode(Sha256::digest(figures::postgres_sql(&figures::kept_sql()).0 + SETUP))
}

/// The indexes the measures' queries use, made after a team's rows are copied in.
pub const INDEXES: &[(&str, &str)] = &[
    ("clients", "id"),
    ("clients", "status"),
    ("clients", "created_at"),
    ("arrests_in_sequence", "tested_at"),
    ("tests_on_arrest", "client_id, tested_at"),
    ("tests_on_arrest", "tested_at"),
    ("required_assessments", "test_id"),
    ("required_assessments", "appointment_id"),
    ("appointments", "owner_type, at"),
    ("appointments", "owner_id"),
    ("conditional_cautions", "given_on"),
    ("bail_decisions", "decided_on"),
    ("drr_orders", "sentenced_on"),
    ("drr_orders", "ended_on"),
    ("drr_breaches", "returned_on"),
    ("drr_reviews", "review_on"),
    ("prison_spells", "released_on"),
    ("treatment_episodes", "client_id, treatment_started_on"),
    ("treatment_episodes", "referred_on"),
    (figures::COUNTED, "at"),
];

/// Writes an entry in the hub's audit log.
pub fn audit(tx: &mut Transaction<'_>, action: &str, detail: &str) -> Result<(), postgres::Error> {
    tx.execute("INSERT INTO hub.audit (action, detail) VALUES ($1, $2)", &[&action, &detail])?;
    Ok(())
}
