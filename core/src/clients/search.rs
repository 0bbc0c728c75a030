//! Finding a person from whatever the worker has: part of a name, a PNC id, an NHS number,
//! a date of birth, or a mix ("smith 1987").
use super::{nhs, pnc, Client, ClientStatus};
use crate::dates;
use crate::store::record::from_row;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;
use ts_rs::TS;

/// One person in a list of search results.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchResult {
    pub id: String,
    pub surname: String,
    pub forenames: String,
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
                // A PNC id with a wrong check letter still finds nobody rather than everybody.
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

/// Up to 50 people matching every word of `query`, best matches first: identifiers, then
/// exact surnames, then surnames that start with the first name word.
pub fn search(conn: &Connection, query: &str, now: DateTime<Utc>) -> rusqlite::Result<Vec<SearchResult>> {
    let terms = terms(query, now);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut wheres = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut fts = Vec::new();
    let mut first_name_word: Option<String> = None;
    for term in &terms {
        match term {
            Term::Pnc(p) => {
                wheres.push("c.pnc = ?".to_string());
                params.push(Value::Text(p.clone()));
            }
            Term::Nhs(n) => {
                wheres.push("c.nhs_number = ?".to_string());
                params.push(Value::Text(n.clone()));
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
                if w.chars().count() >= 3 {
                    fts.push(phrase(w));
                } else {
                    // Trigrams need three letters; shorter words match the start of a name.
                    wheres.push("(c.surname LIKE ? OR c.forenames LIKE ?)".to_string());
                    params.push(Value::Text(like_prefix(w)));
                    params.push(Value::Text(like_prefix(w)));
                }
            }
        }
    }
    if !fts.is_empty() {
        wheres.insert(0, "c.id IN (SELECT client_id FROM client_search WHERE client_search MATCH ?)".to_string());
        params.insert(0, Value::Text(fts.join(" AND ")));
    }
    let first = first_name_word.unwrap_or_default();
    params.push(Value::Text(first.clone()));
    params.push(Value::Text(like_prefix(&first)));
    params.push(Value::Integer(LIMIT));
    let sql = format!(
        "SELECT c.* FROM clients c WHERE {}
         ORDER BY CASE WHEN c.surname = ? THEN 0 WHEN c.surname LIKE ? THEN 1 ELSE 2 END,
                  c.surname, c.forenames, c.date_of_birth
         LIMIT ?",
        wheres.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let clients: Vec<Client> = stmt.query_map(params_from_iter(params), from_row)?.collect::<Result<_, _>>()?;

    let today = dates::today(now);
    let mut names = std::collections::HashMap::new();
    clients
        .into_iter()
        .map(|c| {
            let allocated_worker = match &c.allocated_worker_id {
                Some(id) => match names.get(id) {
                    Some(n) => Some(String::clone(n)),
                    None => {
                        let n = super::worker_name(conn, id)?;
                        names.insert(id.clone(), n.clone());
                        Some(n)
                    }
                },
                None => None,
            };
            Ok(SearchResult {
                age: dates::age(c.date_of_birth, today),
                id: c.id,
                surname: c.surname,
                forenames: c.forenames,
                date_of_birth: c.date_of_birth,
                pnc: c.pnc,
                status: c.status,
                allocated_worker,
            })
        })
        .collect()
}
