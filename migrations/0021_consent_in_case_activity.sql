-- CONSENT-MISSING's words name the person's latest consent: withdrawn on a date, or due for
-- review on one. Kept in `case_activity` with the rest of what the whole-case rules read, and
-- in the rule's partial index, so consent flags no longer read `consents` at all, and the
-- team's (or a large caseload's) read none of the table's rows either (with the disk cache
-- cold, each was a read of its own). The triggers of 0004 keep the row from the view, which
-- now carries the two columns too.
DROP VIEW case_activity_from_records;
CREATE VIEW case_activity_from_records AS
SELECT id AS client_id,
       status = 'active' AS active,
       created_at,
       last_contact_at,
       max(created_at, coalesce(last_contact_at, '')) AS quiet_since,
       consent_until,
       latest_consent_withdrawn_on,
       latest_consent_review_on
FROM (
    SELECT c.id, c.status, c.created_at,
           -- A recorded contact or an attended appointment.
           nullif(max(coalesce((SELECT max(k.at) FROM contacts k WHERE k.client_id = c.id), ''),
                      coalesce((SELECT max(a.at) FROM appointments a WHERE a.client_id = c.id AND a.status = 'attended'), '')),
                  '') AS last_contact_at,
           -- Consent is current while a consent not withdrawn is before its review date (consent
           -- cannot be given in the future); '' when there is none.
           coalesce((SELECT max(k.review_on) FROM consents k WHERE k.client_id = c.id AND k.withdrawn_on IS NULL), '')
               AS consent_until,
           (SELECT k.withdrawn_on FROM consents k WHERE k.client_id = c.id ORDER BY k.given_on DESC, k.id DESC LIMIT 1)
               AS latest_consent_withdrawn_on,
           (SELECT k.review_on FROM consents k WHERE k.client_id = c.id ORDER BY k.given_on DESC, k.id DESC LIMIT 1)
               AS latest_consent_review_on
    FROM clients c
);

ALTER TABLE case_activity ADD COLUMN latest_consent_withdrawn_on TEXT;
ALTER TABLE case_activity ADD COLUMN latest_consent_review_on TEXT;
UPDATE case_activity SET (latest_consent_withdrawn_on, latest_consent_review_on) =
    (SELECT k.withdrawn_on, k.review_on FROM consents k WHERE k.client_id = case_activity.client_id
     ORDER BY k.given_on DESC, k.id DESC LIMIT 1);

DROP INDEX case_activity_consent;
CREATE INDEX case_activity_consent ON case_activity (consent_until, latest_consent_withdrawn_on, latest_consent_review_on)
    WHERE active = 1;
