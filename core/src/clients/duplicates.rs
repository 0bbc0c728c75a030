//! Finding records that may be the same person: while registering (find before create) and
//! across the whole register for a team lead to review and merge.
use super::search::{results, SearchResult};
use super::{nhs, pnc, require, Client, ClientError, NewClient};
use crate::dates;
use crate::phonetic;
use crate::store::record::Made;
use crate::store::record::{from_row, Record};
use crate::store::{Actor, Store};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A record that may be the person being registered, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicateCandidate {
    pub client: SearchResult,
    pub reasons: Vec<String>,
    /// True when an identifier matches: registering again would be wrong.
    pub same_identifier: bool,
}

/// Two records on the register that may be one person.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicatePair {
    pub first: SearchResult,
    pub second: SearchResult,
    pub reasons: Vec<String>,
    pub same_identifier: bool,
}

/// A team lead's decision that a suggested pair are different people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dismissal {
    pub id: String,
    pub first_id: String,
    pub second_id: String,
    #[serde(flatten)]
    pub made: Made,
}

impl Record for Dismissal {
    const TYPE: &'static str = "duplicate_dismissal";
    const TABLE: &'static str = "duplicate_dismissals";
    fn id(&self) -> String {
        self.id.clone()
    }
    fn client_id(&self) -> Option<String> {
        Some(self.first_id.clone())
    }
    fn made_mut(&mut self) -> Option<&mut Made> {
        Some(&mut self.made)
    }
}

fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// The letters of a name, for comparing spellings: "O'Brien" -> "obrien".
fn letters(name: &str) -> String {
    deunicode::deunicode(name).chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase()
}

/// A name's sound keys (a handful) and letters, worked out once when it is compared with many
/// others.
struct Spoken {
    keys: Vec<String>,
    letters: String,
}

impl Spoken {
    fn of(name: &str) -> Spoken {
        Spoken { keys: phonetic::name_keys(name), letters: letters(name) }
    }

    /// Names that sound alike, or are one typing slip apart (Thompson / Thomson, Nowak / Novak).
    fn alike(&self, other: &Spoken) -> bool {
        if self.keys.iter().any(|k| other.keys.contains(k)) {
            return true;
        }
        let (x, y) = (self.letters.as_bytes(), other.letters.as_bytes());
        x.len() >= 4 && y.len() >= 4 && one_slip_apart(x, y)
    }
}

/// Whether two spellings (ASCII letters) are at most one typing slip apart: a letter changed,
/// added or dropped, or two neighbours swapped (a Damerau-Levenshtein distance of at most 1).
/// One pass from each end, as it runs for every pair of names sharing a date of birth.
fn one_slip_apart(x: &[u8], y: &[u8]) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if long.len() - short.len() > 1 {
        return false;
    }
    // How far the two agree from the start, and from the end.
    let s = short.iter().zip(long).take_while(|(a, b)| a == b).count();
    let e = short.iter().rev().zip(long.iter().rev()).take_while(|(a, b)| a == b).count();
    if short.len() < long.len() {
        return s + e >= short.len(); // one letter added
    }
    s + e + 1 >= short.len() // the same, or one letter changed
        || (s + e + 2 == short.len() && short[s] == long[s + 1] && short[s + 1] == long[s])
    // two swapped
}

fn alike(x: &str, y: &str) -> bool {
    Spoken::of(x).alike(&Spoken::of(y))
}

/// Why two names may belong to one person, if they may.
fn name_reasons(a_surname: &str, a_forenames: &str, b_surname: &str, b_forenames: &str) -> Vec<String> {
    let same = |x: &str, y: &str| x.trim().eq_ignore_ascii_case(y.trim());
    let mut reasons = Vec::new();
    let surnames = alike(a_surname, b_surname);
    let first_names = alike(first_word(a_forenames), first_word(b_forenames));
    let initials = first_word(a_forenames).chars().next().map(|c| c.to_ascii_lowercase())
        == first_word(b_forenames).chars().next().map(|c| c.to_ascii_lowercase());
    if surnames && (first_names || initials) {
        reasons.push(if same(a_surname, b_surname) {
            "Same surname".to_string()
        } else {
            format!("Surnames alike ({a_surname} / {b_surname})")
        });
        reasons.push(if same(a_forenames, b_forenames) {
            "Same forenames".to_string()
        } else if first_names {
            format!("First names alike ({} / {})", first_word(a_forenames), first_word(b_forenames))
        } else {
            "Same first initial".to_string()
        });
    } else if alike(a_surname, b_forenames) && alike(a_forenames, b_surname) {
        reasons.push("Forenames and surname swapped round".to_string());
    }
    reasons
}

fn active_by(conn: &Connection, column: &str, value: &str) -> rusqlite::Result<Vec<Client>> {
    let sql = format!("SELECT * FROM clients WHERE {column} = ?1 AND status != 'merged' ORDER BY surname, forenames");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([value], from_row)?;
    rows.collect()
}

/// Records that may be the person on the registration form, most certain first. Works on a
/// half-filled form: each detail typed so far is used.
pub fn candidates_for(conn: &Connection, input: &NewClient, now: DateTime<Utc>) -> rusqlite::Result<Vec<DuplicateCandidate>> {
    let mut found: Vec<(Client, Vec<String>, bool)> = Vec::new();
    let mut add = |c: Client, reason: String, certain: bool| {
        if let Some(entry) = found.iter_mut().find(|(f, _, _)| f.id == c.id) {
            entry.1.push(reason);
            entry.2 |= certain;
        } else {
            found.push((c, vec![reason], certain));
        }
    };
    if let Ok(p) = pnc::parse(&input.pnc, pnc::this_year(now)) {
        for c in active_by(conn, "pnc", &p)? {
            add(c, "Same PNC id".into(), true);
        }
    }
    if let Ok(n) = nhs::parse(&input.nhs_number) {
        for c in active_by(conn, "nhs_number", &n)? {
            add(c, "Same NHS number".into(), true);
        }
    }
    let (surname, forenames) = (input.surname.trim(), input.forenames.trim());
    match dates::parse(&input.date_of_birth) {
        Some(dob) => {
            for c in active_by(conn, "date_of_birth", &dob.to_string())? {
                let reasons = name_reasons(surname, forenames, &c.surname, &c.forenames);
                if !reasons.is_empty() {
                    for r in std::iter::once("Same date of birth".to_string()).chain(reasons) {
                        add(c.clone(), r, false);
                    }
                }
            }
        }
        // Without a date of birth, only a name that sounds the same in both parts.
        None if surname.len() >= 2 && forenames.len() >= 2 => {
            for c in sounds_like(conn, surname, forenames)? {
                add(c, "Name sounds the same; date of birth not yet typed".into(), false);
            }
        }
        None => {}
    }
    found.sort_by_key(|(_, reasons, certain)| (!certain, std::cmp::Reverse(reasons.len())));
    found.truncate(10);
    let reasons: Vec<(Vec<String>, bool)> = found.iter().map(|(_, r, s)| (r.clone(), *s)).collect();
    let clients = results(conn, found.into_iter().map(|(c, _, _)| c).collect(), now)?;
    Ok(clients
        .into_iter()
        .zip(reasons)
        .map(|(client, (reasons, same_identifier))| DuplicateCandidate { client, reasons, same_identifier })
        .collect())
}

/// Active records whose surname and first forename share a sound key with the ones given.
fn sounds_like(conn: &Connection, surname: &str, forenames: &str) -> rusqlite::Result<Vec<Client>> {
    let s_keys = phonetic::name_keys(surname);
    let f_keys = phonetic::word_keys(first_word(forenames));
    if s_keys.is_empty() || f_keys.is_empty() {
        return Ok(Vec::new());
    }
    let marks = |n: usize| vec!["?"; n].join(", ");
    let sql = format!(
        "SELECT c.* FROM clients c
         WHERE c.status != 'merged'
           AND c.search_id IN (SELECT search_id FROM client_name_keys WHERE key IN ({}))
           AND c.search_id IN (SELECT search_id FROM client_name_keys WHERE key IN ({}))
         LIMIT 50",
        marks(s_keys.len()),
        marks(f_keys.len())
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let params: Vec<String> = s_keys.into_iter().chain(f_keys).collect();
    let all: Vec<Client> = stmt.query_map(rusqlite::params_from_iter(params), from_row)?.collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|c| !name_reasons(surname, forenames, &c.surname, &c.forenames).is_empty()).collect())
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// Every pair on the register that may be one person and has not been dismissed: the same
/// PNC id or NHS number, or the same date of birth with names that sound alike.
/// Two records' ids, the earlier first.
type Pair = (String, String);
/// Why a pair may be one person, and whether they share an identifier.
type Found = (Vec<String>, bool);

/// What finding pairs compares of each record: read alone (not whole records), since the whole
/// register is read.
struct Compared {
    id: String,
    surname: String,
    forenames: String,
    date_of_birth: NaiveDate,
    pnc: Option<String>,
    nhs_number: Option<String>,
}

/// Each distinct name's [`Spoken`] form, worked out once: a register repeats its names a lot.
#[derive(Default)]
struct Voices<'a> {
    index: FxHashMap<&'a str, usize>,
    spoken: Vec<Spoken>,
}

impl<'a> Voices<'a> {
    fn of(&mut self, name: &'a str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.spoken.push(Spoken::of(name));
        self.index.insert(name, self.spoken.len() - 1);
        self.spoken.len() - 1
    }

    fn alike(&self, a: usize, b: usize) -> bool {
        a == b || self.spoken[a].alike(&self.spoken[b])
    }
}

/// A record's names as [`Voices`] numbers, for the many comparisons within a date of birth.
struct Names {
    surname: usize,
    first: usize,
    forenames: usize,
    initial: Option<char>,
}

impl Names {
    fn of<'a>(c: &'a Compared, voices: &mut Voices<'a>) -> Names {
        let first = first_word(&c.forenames);
        Names {
            surname: voices.of(&c.surname),
            first: voices.of(first),
            forenames: voices.of(&c.forenames),
            initial: first.chars().next().map(|c| c.to_ascii_lowercase()),
        }
    }

    /// Whether [`name_reasons`] finds any reason: the same test, on names worked out once.
    fn may_be(&self, other: &Names, v: &Voices) -> bool {
        (v.alike(self.surname, other.surname) && (self.initial == other.initial || v.alike(self.first, other.first)))
            || (v.alike(self.surname, other.forenames) && v.alike(self.forenames, other.surname))
    }
}

/// How many pairs a page of possible duplicates holds.
pub const PAGE_SIZE: u32 = 25;

/// A page of the possible duplicates: those sharing an identifier first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicatePage {
    /// How many pairs there are in all.
    pub total: u32,
    pub offset: u32,
    /// How many pairs a full page holds.
    pub page_size: u32,
    pub pairs: Vec<DuplicatePair>,
}

/// The pairs from `offset`: every pair is found (the whole register is compared), and only the
/// page's people are read in full.
pub fn page(conn: &Connection, now: DateTime<Utc>, offset: u32) -> rusqlite::Result<DuplicatePage> {
    let found = found(conn)?;
    let total = found.len() as u32;
    let pairs =
        found.into_iter().skip(offset as usize).take(PAGE_SIZE as usize).map(|p| described(conn, p, now)).collect::<Result<_, _>>()?;
    Ok(DuplicatePage { total, offset, page_size: PAGE_SIZE, pairs })
}

/// Every pair, in the order the pages show them.
pub fn pairs(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<Vec<DuplicatePair>> {
    found(conn)?.into_iter().map(|p| described(conn, p, now)).collect()
}

fn described(
    conn: &Connection,
    ((a, b), (reasons, same_identifier)): (Pair, Found),
    now: DateTime<Utc>,
) -> rusqlite::Result<DuplicatePair> {
    let mut two = results(conn, vec![require_row(conn, &a)?, require_row(conn, &b)?], now)?;
    let second = two.pop().expect("two results");
    let first = two.pop().expect("two results");
    Ok(DuplicatePair { first, second, reasons, same_identifier })
}

fn found(conn: &Connection) -> rusqlite::Result<Vec<(Pair, Found)>> {
    let dismissed: FxHashSet<(String, String)> = conn
        .prepare("SELECT first_id, second_id FROM duplicate_dismissals")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT id, surname, forenames, date_of_birth, pnc, nhs_number FROM clients WHERE status != 'merged'")?;
    let clients: Vec<Compared> = stmt
        .query_map([], |r| {
            Ok(Compared {
                id: r.get(0)?,
                surname: r.get(1)?,
                forenames: r.get(2)?,
                date_of_birth: r.get(3)?,
                pnc: r.get(4)?,
                nhs_number: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;

    // The whole register is grouped: a quick hash (not one made to withstand crafted keys, which
    // these are not) takes about a tenth off a page at bench scale.
    let mut found: FxHashMap<(String, String), (Vec<String>, bool)> = FxHashMap::default();
    let mut by_pnc: FxHashMap<&str, Vec<&Compared>> = FxHashMap::default();
    let mut by_nhs: FxHashMap<&str, Vec<&Compared>> = FxHashMap::default();
    let mut by_dob: FxHashMap<NaiveDate, Vec<&Compared>> = FxHashMap::default();
    for c in &clients {
        if let Some(p) = &c.pnc {
            by_pnc.entry(p).or_default().push(c);
        }
        if let Some(n) = &c.nhs_number {
            by_nhs.entry(n).or_default().push(c);
        }
        by_dob.entry(c.date_of_birth).or_default().push(c);
    }
    for (groups, reason) in [(&by_pnc, "Same PNC id"), (&by_nhs, "Same NHS number")] {
        for group in groups.values().filter(|g| g.len() > 1) {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let e = found.entry(ordered(&a.id, &b.id)).or_default();
                    e.0.push(reason.into());
                    e.1 = true;
                }
            }
        }
    }
    let mut voices = Voices::default();
    for group in by_dob.values().filter(|g| g.len() > 1) {
        let names: Vec<Names> = group.iter().map(|c| Names::of(c, &mut voices)).collect();
        for (i, a) in group.iter().enumerate() {
            for (j, b) in group.iter().enumerate().skip(i + 1) {
                if !names[i].may_be(&names[j], &voices) {
                    continue;
                }
                let reasons = name_reasons(&a.surname, &a.forenames, &b.surname, &b.forenames);
                if !reasons.is_empty() {
                    let e = found.entry(ordered(&a.id, &b.id)).or_default();
                    e.0.push("Same date of birth".into());
                    e.0.extend(reasons);
                }
            }
        }
    }
    let mut list: Vec<(Pair, Found)> = found.into_iter().filter(|(pair, _)| !dismissed.contains(pair)).collect();
    list.sort_by(|a, b| (!a.1 .1, &a.0).cmp(&(!b.1 .1, &b.0)));
    Ok(list)
}

/// A record found a moment ago in the same read.
fn require_row(conn: &Connection, id: &str) -> rusqlite::Result<Client> {
    conn.prepare_cached("SELECT * FROM clients WHERE id = ?1")?.query_row([id], from_row)
}

/// Records a team lead's decision that two records are different people.
pub fn dismiss(store: &mut Store, actor: &Actor, a: &str, b: &str) -> Result<(), ClientError> {
    require(store.reader(), a)?;
    require(store.reader(), b)?;
    let (first_id, second_id) = ordered(a, b);
    let mut d = Dismissal { id: crate::ids::new_id(store.clock()), first_id, second_id, made: Made::on_write() };
    store.write(actor, |w| w.create(&mut d))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::one_slip_apart;

    /// The restricted edit distance (changes, additions, removals, swaps of neighbours), the
    /// plain way: what one slip means.
    fn slips(x: &[u8], y: &[u8]) -> usize {
        let mut d = vec![vec![0usize; y.len() + 1]; x.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=x.len() {
            for j in 1..=y.len() {
                let cost = usize::from(x[i - 1] != y[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[x.len()][y.len()]
    }

    #[test]
    fn one_slip_apart_is_one_change_addition_removal_or_swap() {
        for (a, b) in [("thompson", "thomson"), ("nowak", "novak"), ("thompson", "thomspon"), ("smith", "smith")] {
            assert!(one_slip_apart(a.as_bytes(), b.as_bytes()), "{a} / {b}");
        }
        for (a, b) in [("smith", "smyth1"), ("abcd", "badc"), ("jones", "jnose"), ("khan", "kahnn")] {
            assert!(!one_slip_apart(a.as_bytes(), b.as_bytes()), "{a} / {b}");
        }
        // Every pair of short words over three letters agrees with the distance worked out in full.
        let words: Vec<Vec<u8>> = (0..=5u32)
            .flat_map(|len| (0..3u32.pow(len)).map(move |n| (0..len).map(|i| b"abc"[(n / 3u32.pow(i) % 3) as usize]).collect()))
            .collect();
        for x in &words {
            for y in &words {
                assert_eq!(one_slip_apart(x, y), slips(x, y) <= 1, "{:?} / {:?}", String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            }
        }
    }
}
