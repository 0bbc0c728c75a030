-- A contact recorded, or an attended appointment, can only move a client's last contact later:
-- the kept case activity (0004) is moved on where the new one is later, rather than worked out
-- again from every contact and appointment the client has. Entering a history of contacts,
-- oldest last (as a laptop joining by replay or the demo does), writes nothing here at all.
-- Changes and removals still work the row out again from the records; the property test in
-- core/tests/flags.rs holds the table equal to `case_activity_from_records` throughout.
DROP TRIGGER case_activity_contact_added;
CREATE TRIGGER case_activity_contact_added AFTER INSERT ON contacts BEGIN
    UPDATE case_activity SET last_contact_at = NEW.at, quiet_since = max(created_at, NEW.at)
    WHERE client_id = NEW.client_id AND coalesce(last_contact_at, '') < NEW.at;
END;
DROP TRIGGER case_activity_attended_added;
CREATE TRIGGER case_activity_attended_added AFTER INSERT ON appointments WHEN NEW.status = 'attended' BEGIN
    UPDATE case_activity SET last_contact_at = NEW.at, quiet_since = max(created_at, NEW.at)
    WHERE client_id = NEW.client_id AND coalesce(last_contact_at, '') < NEW.at;
END;
