-- The team's no-contact flags (CASE-NO-CONTACT), and those of a caseload large enough to read
-- the rule's partial index whole (flags/mod.rs, SCANNED_FROM), read only that index: it now
-- holds the last contact the flag's words name, so no `case_activity` row is read for them. With
-- the disk cache cold (a laptop's first sign-in of the day), those rows lie scattered across
-- the file and cost a read each.
DROP INDEX case_activity_quiet;
CREATE INDEX case_activity_quiet ON case_activity (quiet_since, last_contact_at) WHERE active = 1;
