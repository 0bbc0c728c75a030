-- A name typed with a date of birth or a year ("ward 1999") is narrowed by whom the date finds
-- before anyone the name finds only inside a longer name (Edwards, Howard, Woodward) is looked
-- up: one range of this index, now carrying each person's `search_id`, rather than a page of
-- `clients_for_search` for each of hundreds. Read cold at bench scale (100,000 clients),
-- "ward 1999" 926 pages -> 255, and the slowest twentieth of 400 names with a year are now
-- those with fifty people to show.
DROP INDEX clients_by_dob;
CREATE INDEX clients_by_dob ON clients (date_of_birth, search_id);
