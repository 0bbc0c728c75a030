-- The search index (client_search, FTS5) takes a write's names all at once as the write
-- commits (store/write.rs), no longer row by row from the triggers. FTS5 writes out what it
-- holds at the start of every statement that may need undoing, which a save of a person is:
-- kept in step by the triggers, it wrote a segment of its own (and merged it into the others)
-- for every person a write saved, about a third of putting a register of 100,000 people in.
-- The triggers now note whose names are due; the sound-alike keys are a plain table and stay
-- in step row by row, as before (0002).
CREATE TABLE client_names_due (
    search_id  INTEGER PRIMARY KEY
);

DROP TRIGGER client_names_on_insert;
CREATE TRIGGER client_names_on_insert AFTER INSERT ON clients
BEGIN
    INSERT OR IGNORE INTO client_names_due (search_id) VALUES (new.search_id);
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.id;
END;

DROP TRIGGER client_names_on_rename;
CREATE TRIGGER client_names_on_rename AFTER UPDATE OF surname, forenames ON clients
BEGIN
    INSERT OR IGNORE INTO client_names_due (search_id) VALUES (new.search_id);
    DELETE FROM client_name_keys WHERE search_id = new.search_id;
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.id;
END;

DROP TRIGGER client_names_on_alias;
CREATE TRIGGER client_names_on_alias AFTER INSERT ON client_aliases
BEGIN
    INSERT OR IGNORE INTO client_names_due (search_id) SELECT search_id FROM clients WHERE id = new.client_id;
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.client_id;
END;

DROP TRIGGER client_names_on_alias_change;
CREATE TRIGGER client_names_on_alias_change AFTER UPDATE OF surname, forenames, removed_at ON client_aliases
BEGIN
    INSERT OR IGNORE INTO client_names_due (search_id) SELECT search_id FROM clients WHERE id = new.client_id;
    DELETE FROM client_name_keys WHERE search_id = (SELECT search_id FROM clients WHERE id = new.client_id);
    INSERT OR IGNORE INTO client_name_keys (key, search_id)
        SELECT j.value, n.search_id FROM client_all_names n, json_each(name_keys(n.names)) j WHERE n.id = new.client_id;
END;
