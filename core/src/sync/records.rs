//! The records a bundle may carry, by the type named in their operations, and a content hash
//! of them all (equal on laptops that hold the same operations).
use crate::store::record::{from_sql, Record};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

fn entry<R: Record>() -> (&'static str, &'static str) {
    (R::TYPE, R::TABLE)
}

/// Every record type, with its table. A record type missing here cannot be synced: a test
/// checks that every type the demo team writes is listed.
pub fn all() -> Vec<(&'static str, &'static str)> {
    use crate::{accounts, appointments, clients, court, custody, drr, governance, notes, prison};
    vec![
        entry::<accounts::workers::Worker>(),
        entry::<accounts::worker_keys::WorkerKey>(),
        entry::<accounts::settings::TeamSetting>(),
        entry::<super::laptop::Device>(),
        entry::<clients::Client>(),
        entry::<clients::aliases::Alias>(),
        entry::<clients::consent::Consent>(),
        entry::<clients::merge::Merge>(),
        entry::<clients::duplicates::Dismissal>(),
        entry::<appointments::Appointment>(),
        entry::<notes::Contact>(),
        entry::<notes::CaseNote>(),
        entry::<custody::TestOnArrest>(),
        entry::<custody::RequiredAssessment>(),
        entry::<custody::caution::ConditionalCaution>(),
        entry::<court::Hearing>(),
        entry::<court::BailDecision>(),
        entry::<court::SuitabilityAssessment>(),
        entry::<drr::Order>(),
        entry::<drr::timetable::Slot>(),
        entry::<drr::testing::DrrTest>(),
        entry::<drr::compliance::Failure>(),
        entry::<drr::compliance::Warning>(),
        entry::<drr::compliance::Breach>(),
        entry::<drr::reviews::Review>(),
        entry::<prison::PrisonSpell>(),
        entry::<prison::PrisonTransfer>(),
        entry::<prison::ThroughcarePlan>(),
        entry::<prison::treatment::TreatmentEpisode>(),
        entry::<governance::disclosures::Disclosure>(),
        entry::<governance::retention::RetentionReview>(),
    ]
}

/// Columns that are this laptop's own (an index key), never part of a record as it syncs.
const LOCAL_COLUMNS: &[&str] = &["search_id"];

fn record_columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let columns = stmt.query_map([table], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(columns.into_iter().filter(|c| !LOCAL_COLUMNS.contains(&c.as_str())).collect())
}

/// The tables and their columns, read from the schema once per import: an operation may only
/// name a known record type and fields that are columns of its table.
pub struct Schema {
    tables: HashMap<&'static str, (&'static str, HashSet<String>)>,
}

impl Schema {
    pub fn read(conn: &Connection) -> rusqlite::Result<Schema> {
        let mut tables = HashMap::new();
        for (record_type, table) in all() {
            tables.insert(record_type, (table, record_columns(conn, table)?.into_iter().collect()));
        }
        Ok(Schema { tables })
    }

    /// The table of a record type, if it is one.
    pub fn table(&self, record_type: &str) -> Option<&'static str> {
        self.tables.get(record_type).map(|(t, _)| *t)
    }

    pub fn has_field(&self, record_type: &str, field: &str) -> bool {
        self.tables.get(record_type).is_some_and(|(_, cols)| cols.contains(field))
    }
}

/// A hash of every record and of the set of operations: two laptops with the same hash hold
/// the same team data. Local things (the audit trail, this laptop's keys) are left out.
pub fn content_hash(conn: &Connection) -> rusqlite::Result<String> {
    let mut hash = Sha256::new();
    let mut tables: Vec<&str> = all().into_iter().map(|(_, t)| t).collect();
    tables.sort_unstable();
    for table in tables {
        hash.update(table.as_bytes());
        let columns = record_columns(conn, table)?.join(", ");
        let mut stmt = conn.prepare(&format!("SELECT {columns} FROM {table} ORDER BY id"))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                let value = from_sql(row.get_ref(i)?).to_string();
                hash.update((value.len() as u64).to_le_bytes());
                hash.update(value.as_bytes());
            }
        }
    }
    let mut stmt = conn.prepare("SELECT op_id FROM operations ORDER BY op_id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        hash.update(row.get_ref(0)?.as_str()?.as_bytes());
    }
    Ok(hex::encode(hash.finalize()))
}
