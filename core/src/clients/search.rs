//! Finding a person from whatever the worker has: part of a name or alias, a name spelt
//! another way, a PNC id, an NHS number, a date of birth, or a mix ("smith 1987").
use super::{aliases, nhs, pnc, Client, ClientStatus};
use crate::dates;
use crate::phonetic;
use crate::store::record::from_row;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

/// One person in a list of search results.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchResult {
    pub id: String,
    pub surname: String,
    pub forenames: String,
    /// Other names, "Forenames Surname".
    pub aliases: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub age: i32,
    pub pnc: Option<String>,
    pub status: ClientStatus,
    pub allocated_worker: Option<String>,
}

/// How many people a search shows. Written into the statements, never bound: SQLite plans a
/// statement with an ORDER BY and a bound LIMIT afresh at every binding of it, which cost a
/// PNC search more than six times the search itself.
const LIMIT: i64 = 50;

/// What one word of the query asks for.
enum Term {
    Pnc(String),
    Nhs(String),
    Born(NaiveDate),
    BornIn(i32),
    Name(String),
}

fn terms(query: &str, now: DateTime<Utc>) -> Vec<Term> {
    // A whole query of digits and spaces may be an NHS number typed in groups.
    if let Ok(n) = nhs::parse(query) {
        return vec![Term::Nhs(n)];
    }
    query
        .split_whitespace()
        .map(|word| {
            if let Some(d) = dates::parse(word) {
                Term::Born(d)
            } else if pnc::looks_like(word) {
                // A PNC id with a wrong check letter finds nobody rather than everybody.
                Term::Pnc(pnc::parse(word, pnc::this_year(now)).unwrap_or_else(|_| word.to_uppercase()))
            } else if word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()) {
                Term::BornIn(word.parse().unwrap_or_default())
            } else {
                Term::Name(word.to_string())
            }
        })
        .collect()
}

/// An FTS5 phrase: the word in double quotes, with its own quotes doubled.
fn phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

fn like_prefix(word: &str) -> String {
    format!("{}%", word.replace(['%', '_', '\\'], ""))
}

/// One way a name word finds people.
enum Way {
    /// Inside any name they are known by (trigrams: three letters or more).
    Inside(String),
    /// A name that sounds alike, however it is spelt or punctuated (their name keys).
    SoundsLike(Vec<String>),
    /// A name starting with the word, for a word too short for trigrams.
    Starts(String),
}

impl Way {
    fn all(word: &str) -> Vec<Way> {
        let mut ways = Vec::new();
        let long = word.chars().count() >= 3;
        if long {
            ways.push(Way::Inside(phrase(word)));
        }
        let mut keys = phonetic::word_keys(word);
        // The word's own letters ("=smith") find no one its sound ("SM0") does not: every name
        // word has both keys. Looking up only the sound reads each such person once, not twice.
        if keys.len() > 1 {
            keys.remove(0);
        }
        if !keys.is_empty() {
            ways.push(Way::SoundsLike(keys));
        }
        if !long {
            ways.push(Way::Starts(like_prefix(word)));
        }
        ways
    }

    /// The `search_id`s of the people it finds.
    fn ids(&self) -> String {
        match self {
            Way::Inside(_) => "SELECT rowid FROM client_search WHERE client_search MATCH ?".into(),
            Way::SoundsLike(keys) => format!("SELECT search_id FROM client_name_keys WHERE key IN ({})", marks(keys.len())),
            Way::Starts(_) => "SELECT search_id FROM clients WHERE surname LIKE ? OR forenames LIKE ?".into(),
        }
    }

    /// What `ids` binds, in order.
    fn params(&self) -> Vec<Value> {
        match self {
            Way::Inside(phrase) => vec![Value::Text(phrase.clone())],
            Way::SoundsLike(keys) => keys.iter().cloned().map(Value::Text).collect(),
            Way::Starts(prefix) => vec![Value::Text(prefix.clone()), Value::Text(prefix.clone())],
        }
    }
}

/// The people a name word finds, with what ranking reads (`search_id`, `status`, `surname`,
/// `forenames`, `date_of_birth`), as the common table `named`, and what that binds. Their name
/// keys carry it (migrations/0023), so a key's people are read together from a few pages (once
/// each, though several of the word's keys find them). Anyone else it finds (the word inside a
/// longer name, a short word starting a name) is looked up in `clients_for_search`, about a
/// page each, so only those its keys did not already find and every other word of the query
/// finds too (`narrowing`: queries of `search_id`s).
fn named<'a>(ways: &[Way], narrowing: impl Iterator<Item = &'a (usize, String, Vec<Value>)>) -> (String, Vec<Value>) {
    const RANKED: &str = "SELECT search_id, status, surname, forenames, date_of_birth";
    let mut tables = Vec::new();
    let mut selects = Vec::new();
    let mut params = Vec::new();
    let mut except = String::new();
    if let Some(Way::SoundsLike(keys)) = ways.iter().find(|w| matches!(w, Way::SoundsLike(_))) {
        tables.push(format!(
            "sounds AS MATERIALIZED ({RANKED} FROM client_name_keys WHERE key IN ({}) GROUP BY search_id)",
            marks(keys.len())
        ));
        params.extend(keys.iter().cloned().map(Value::Text));
        selects.push("SELECT * FROM sounds".to_string());
        except = " EXCEPT SELECT search_id FROM sounds".into();
    }
    if let Some(way) = ways.iter().find(|w| !matches!(w, Way::SoundsLike(_))) {
        let mut ids = format!("{}{except}", way.ids());
        params.extend(way.params());
        for (_, other, other_params) in narrowing {
            ids = format!("{ids} INTERSECT SELECT * FROM ({other})");
            params.extend(other_params.iter().cloned());
        }
        selects.push(format!("{RANKED} FROM clients INDEXED BY clients_for_search WHERE search_id IN ({ids})"));
    }
    // The two are apart: the second leaves out whom the first found.
    tables.push(format!("named AS ({})", selects.join(" UNION ALL ")));
    (tables.join(",\n"), params)
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Up to 50 people matching every word of `query`, best first: surnames starting with the
/// first name word (exact ones first), then forenames starting with it (names typed the other
/// way round), then the rest (inside a name, an alias, or sounding alike).
pub fn search(conn: &Connection, query: &str, now: DateTime<Utc>) -> rusqlite::Result<Vec<SearchResult>> {
    let terms = terms(query, now);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    // One condition (with its parameters) per word of the query; for a word that names whom it
    // finds by `search_id` (a name, an identifier), that query too, to narrow a name's matches.
    let mut conditions: Vec<(String, Vec<Value>)> = Vec::new();
    let mut narrowing: Vec<(usize, String, Vec<Value>)> = Vec::new();
    // The first name word: where in `conditions` it is, the word, and the ways it matches.
    let mut first_name: Option<(usize, String, Vec<Way>)> = None;
    for term in &terms {
        let mut params: Vec<Value> = Vec::new();
        let ids = match term {
            // An identifier left on a merged record finds the record it was merged into.
            Term::Pnc(p) => {
                params.extend([Value::Text(p.clone()), Value::Text(p.clone())]);
                "SELECT search_id FROM clients WHERE pnc = ?
                 UNION SELECT search_id FROM clients WHERE id IN (SELECT merged_into FROM clients WHERE pnc = ? AND status = 'merged')"
                    .to_string()
            }
            Term::Nhs(n) => {
                params.extend([Value::Text(n.clone()), Value::Text(n.clone())]);
                "SELECT search_id FROM clients WHERE nhs_number = ?
                 UNION SELECT search_id FROM clients WHERE id IN (SELECT merged_into FROM clients WHERE nhs_number = ? AND status = 'merged')"
                    .to_string()
            }
            // A date narrows a name's matches by whom it finds (one range of `clients_by_dob`,
            // which carries their `search_id`), and is tested on each person's row as it is.
            Term::Born(d) => {
                let day = vec![Value::Text(d.to_string())];
                narrowing.push((conditions.len(), "SELECT search_id FROM clients WHERE date_of_birth = ?".into(), day.clone()));
                conditions.push(("c.date_of_birth = ?".into(), day));
                continue;
            }
            Term::BornIn(y) => {
                let year = vec![Value::Text(format!("{y:04}-01-01")), Value::Text(format!("{y:04}-12-31"))];
                narrowing.push((
                    conditions.len(),
                    "SELECT search_id FROM clients WHERE date_of_birth BETWEEN ? AND ?".into(),
                    year.clone(),
                ));
                conditions.push(("c.date_of_birth BETWEEN ? AND ?".into(), year));
                continue;
            }
            Term::Name(w) => {
                let ways = Way::all(w);
                let ids: Vec<String> = ways.iter().map(Way::ids).collect();
                params.extend(ways.iter().flat_map(Way::params));
                first_name.get_or_insert_with(|| (conditions.len(), w.clone(), ways));
                ids.join(" UNION ")
            }
        };
        narrowing.push((conditions.len(), ids.clone(), params.clone()));
        conditions.push((format!("c.search_id IN ({ids})"), params));
    }
    // Merged records are never shown apart: their names are aliases of the survivor.
    let filter = |skip: Option<usize>| -> (String, Vec<Value>) {
        let mut sql = String::from("c.status != 'merged'");
        let mut values = Vec::new();
        for (i, (condition, params)) in conditions.iter().enumerate() {
            if Some(i) != skip {
                sql.push_str(" AND ");
                // Walking the name index, `+` keeps SQLite from driving by a name's match list.
                let condition = if skip.is_some() { condition.replace("c.search_id IN", "+c.search_id IN") } else { condition.clone() };
                sql.push_str(&condition);
                values.extend(params.iter().cloned());
            }
        }
        (sql, values)
    };
    let first = first_name.as_ref().map(|(_, w, _)| w.clone()).unwrap_or_default();
    let mut clients: Vec<Client> = Vec::new();
    // A lone name word (typing a name) matches many people: they are best read off the name
    // index in order. Anything more narrows the matches, which are ranked in one go below.
    if let (Some((index, _, _)), 1) = (&first_name, terms.len()) {
        // Surnames starting with the first name word come first, read in order straight off
        // the name index (an exact surname sorts first among them). Such a surname already
        // matches that word, so its own condition is left out.
        let (filter, params) = filter(Some(*index));
        let sql = format!(
            "SELECT c.* FROM clients c WHERE c.surname LIKE ? AND {filter}
             ORDER BY c.surname, c.forenames, c.date_of_birth LIMIT {LIMIT}"
        );
        let all = [Value::Text(like_prefix(&first))].into_iter().chain(params);
        clients = conn.prepare_cached(&sql)?.query_map(params_from_iter(all), from_row)?.collect::<Result<_, _>>()?;
    }
    if clients.len() < LIMIT as usize {
        // Then (or with several words, all ranked together): surnames starting with the first
        // word, forenames starting with it (names typed the other way round), then any other
        // match (inside a name, an alias, or sounding alike). Only keys are sorted.
        let Some((index, _, ways)) = &first_name else {
            // Identifiers and dates only: no name to rank by.
            let (filter, params) = filter(None);
            let sql = format!("SELECT c.* FROM clients c WHERE {filter} ORDER BY c.surname, c.forenames, c.date_of_birth LIMIT {LIMIT}");
            let found = conn.prepare_cached(&sql)?.query_map(params_from_iter(params), from_row)?.collect::<Result<_, _>>()?;
            return results(conn, found, now);
        };
        let already = if clients.is_empty() { "" } else { "AND NOT c.surname LIKE ?" };
        // Name matches are ranked from what each way of matching reads with the person's id
        // (their name keys carry it, migrations/0023), never from each matching person's whole
        // row: a common name sounds like thousands of people. The first name word gives the
        // people ranked; every other word narrows them.
        let (filter, params) = filter(Some(*index));
        let (named, named_params) = named(ways, narrowing.iter().filter(|(i, _, _)| i != index));
        let sql = format!(
            "WITH {named},
             top AS (
                 SELECT c.search_id,
                        CASE WHEN c.surname LIKE ? THEN 0 WHEN c.forenames LIKE ? THEN 1 ELSE 2 END AS rank,
                        c.surname, c.forenames, c.date_of_birth
                 FROM named c WHERE {filter} {already}
                 ORDER BY rank, c.surname COLLATE NOCASE, c.forenames COLLATE NOCASE, c.date_of_birth LIMIT {LIMIT})
             SELECT c.* FROM top JOIN clients c ON c.search_id = top.search_id
             ORDER BY top.rank, top.surname COLLATE NOCASE, top.forenames COLLATE NOCASE, top.date_of_birth"
        );
        let prefix = Value::Text(like_prefix(&first));
        let exclude = (!clients.is_empty()).then(|| prefix.clone());
        let all = named_params.into_iter().chain([prefix.clone(), prefix]).chain(params).chain(exclude);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rest = stmt.query_map(params_from_iter(all), from_row)?.take(LIMIT as usize - clients.len());
        clients.extend(rest.collect::<Result<Vec<_>, _>>()?);
    }
    results(conn, clients, now)
}

/// Search results for these clients, with their aliases and allocated worker's name.
pub(crate) fn results(conn: &Connection, clients: Vec<Client>, now: DateTime<Utc>) -> rusqlite::Result<Vec<SearchResult>> {
    let today = dates::today(now);
    let mut names: HashMap<String, String> = HashMap::new();
    clients
        .into_iter()
        .map(|c| {
            let allocated_worker = match &c.allocated_worker_id {
                Some(id) => Some(match names.get(id) {
                    Some(n) => n.clone(),
                    None => {
                        let n = super::worker_name(conn, id)?;
                        names.insert(id.clone(), n.clone());
                        n
                    }
                }),
                None => None,
            };
            let aliases =
                aliases::current(conn, &c.id)?.into_iter().map(|a| format!("{} {}", a.forenames, a.surname).trim().to_string()).collect();
            Ok(SearchResult {
                age: dates::age(c.date_of_birth, today),
                id: c.id,
                surname: c.surname,
                forenames: c.forenames,
                aliases,
                date_of_birth: c.date_of_birth,
                pnc: c.pnc,
                status: c.status,
                allocated_worker,
            })
        })
        .collect()
}
