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

/// Up to 50 people matching every word of `query`, best first: exact surnames, then surnames
/// starting with the first name word, then forenames (names typed the other way round), then
/// the rest (inside a name, an alias, or sounding alike).
pub fn search(conn: &Connection, query: &str, now: DateTime<Utc>) -> rusqlite::Result<Vec<SearchResult>> {
    let terms = terms(query, now);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut wheres = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut first_name_word: Option<String> = None;
    for term in &terms {
        match term {
            // An identifier left on a merged record finds the record it was merged into.
            Term::Pnc(p) => {
                wheres.push("(c.pnc = ? OR c.id IN (SELECT merged_into FROM clients WHERE pnc = ? AND status = 'merged'))".to_string());
                params.extend([Value::Text(p.clone()), Value::Text(p.clone())]);
            }
            Term::Nhs(n) => {
                wheres.push(
                    "(c.nhs_number = ? OR c.id IN (SELECT merged_into FROM clients WHERE nhs_number = ? AND status = 'merged'))".to_string(),
                );
                params.extend([Value::Text(n.clone()), Value::Text(n.clone())]);
            }
            Term::Born(d) => {
                wheres.push("c.date_of_birth = ?".to_string());
                params.push(Value::Text(d.to_string()));
            }
            Term::BornIn(y) => {
                wheres.push("c.date_of_birth BETWEEN ? AND ?".to_string());
                params.push(Value::Text(format!("{y:04}-01-01")));
                params.push(Value::Text(format!("{y:04}-12-31")));
            }
            Term::Name(w) => {
                first_name_word.get_or_insert_with(|| w.clone());
                let keys = phonetic::word_keys(w);
                let mut ways = Vec::new();
                if w.chars().count() >= 3 {
                    ways.push("SELECT rowid FROM client_search WHERE client_search MATCH ?".to_string());
                    params.push(Value::Text(phrase(w)));
                }
                if !keys.is_empty() {
                    let marks = vec!["?"; keys.len()].join(", ");
                    ways.push(format!("SELECT search_id FROM client_name_keys WHERE key IN ({marks})"));
                    params.extend(keys.into_iter().map(Value::Text));
                }
                if w.chars().count() < 3 {
                    // Trigrams need three letters: shorter words match the start of a name.
                    ways.push("SELECT search_id FROM clients WHERE surname LIKE ? OR forenames LIKE ?".to_string());
                    params.push(Value::Text(like_prefix(w)));
                    params.push(Value::Text(like_prefix(w)));
                }
                wheres.push(format!("c.search_id IN ({})", ways.join(" UNION ")));
            }
        }
    }
    let first = first_name_word.unwrap_or_default();
    // Merged records are never shown apart: their names are aliases of the survivor.
    // Rank and sort only the keys of every match, then read the 50 whole records.
    let sql = format!(
        "WITH top AS (
             SELECT c.search_id,
                    CASE WHEN c.surname = ? THEN 0 WHEN c.surname LIKE ? THEN 1
                         WHEN c.forenames LIKE ? THEN 2 ELSE 3 END AS rank,
                    c.status = 'closed' AS closed, c.surname, c.forenames, c.date_of_birth
             FROM clients c
             WHERE c.status != 'merged' AND {}
             ORDER BY rank, closed, c.surname, c.forenames, c.date_of_birth
             LIMIT ?)
         SELECT c.* FROM top JOIN clients c ON c.search_id = top.search_id
         ORDER BY top.rank, top.closed, top.surname, top.forenames, top.date_of_birth",
        wheres.join(" AND ")
    );
    let ranking = [Value::Text(first.clone()), Value::Text(like_prefix(&first)), Value::Text(like_prefix(&first))];
    let all = ranking.into_iter().chain(params).chain([Value::Integer(LIMIT)]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let clients: Vec<Client> = stmt.query_map(params_from_iter(all), from_row)?.collect::<Result<_, _>>()?;
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
            let aliases = aliases::current(conn, &c.id)?
                .into_iter()
                .map(|a| format!("{} {}", a.forenames, a.surname).trim().to_string())
                .collect();
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
