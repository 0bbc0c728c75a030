//! A team's records from its replica into PostgreSQL: the tables and columns the measures read,
//! and of each person only the attributor (initials, date of birth, sex), never a name or an
//! address. Written into a fresh schema by binary COPY and swapped in within one transaction,
//! so readers see the team's figures before or after a bundle, never halfway.
use crate::figures;
use crate::schema::{self, INDEXES};
use chrono::{DateTime, Utc};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::ValueRef;
use throughline_core::dashboard::READS;

/// A column's type in PostgreSQL, from the type SQLite's schema declares for it.
fn pg_type(declared: &str) -> (Type, &'static str) {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        (Type::INT8, "bigint")
    } else if declared.contains("REAL") {
        (Type::FLOAT8, "double precision")
    } else {
        (Type::TEXT, "text")
    }
}

/// A table to copy: its columns with their types, and the SELECT that reads them.
struct Table {
    name: &'static str,
    columns: Vec<(String, Type, &'static str)>,
    select: String,
}

fn tables(replica: &rusqlite::Connection) -> rusqlite::Result<Vec<Table>> {
    let mut out = Vec::new();
    for (name, columns) in READS {
        let declared: Vec<(String, String)> = replica
            .prepare(&format!("PRAGMA table_info({name})"))?
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut cols: Vec<(String, Type, &'static str)> = columns
            .iter()
            .map(|c| {
                let decl = declared.iter().find(|(n, _)| n == c).map_or("TEXT", |(_, t)| t.as_str());
                let (ty, sql) = pg_type(decl);
                (c.to_string(), ty, sql)
            })
            .collect();
        let mut exprs: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        if *name == "clients" {
            // The NDTMS-style attributor, which the hub's lists show instead of a name.
            for (column, expr) in [
                ("initials", "upper(substr(forenames, 1, 1) || substr(surname, 1, 1))"),
                ("date_of_birth", "date_of_birth"),
                ("sex", "sex"),
            ] {
                cols.push((column.to_string(), Type::TEXT, "text"));
                exprs.push(expr.to_string());
            }
        }
        out.push(Table { name, columns: cols, select: format!("SELECT {} FROM {name}", exprs.join(", ")) });
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the team's copy could not be read: {0}")]
    Replica(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
}

/// The advisory lock a copy takes before it swaps a team's schema, and a report holds (shared)
/// while it reads, so that a report never mixes a team's copy before and after a bundle.
pub const SWAP_LOCK: i64 = 0x7468_726f_7567_6800;

/// Replaces a team's records in PostgreSQL with what its replica holds now, in one transaction,
/// and notes how many operations they reflect.
pub fn team(
    db: &mut postgres::Client,
    replica: &rusqlite::Connection,
    team_id: &str,
    operations: i64,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<u64, CopyError> {
    let name = schema::team_schema(team_id);
    let fresh = format!("{name}_new");
    let mut tx = db.transaction()?;
    tx.batch_execute(&format!("DROP SCHEMA IF EXISTS {fresh} CASCADE; CREATE SCHEMA {fresh};"))?;
    let mut rows_copied = 0u64;
    for table in tables(replica)? {
        let columns: Vec<String> = table.columns.iter().map(|(c, _, sql)| format!("{c} {sql}")).collect();
        tx.batch_execute(&format!("CREATE TABLE {fresh}.{} ({})", table.name, columns.join(", ")))?;
        let names: Vec<&str> = table.columns.iter().map(|(c, _, _)| c.as_str()).collect();
        let sink = tx.copy_in(&format!("COPY {fresh}.{} ({}) FROM STDIN BINARY", table.name, names.join(", ")))?;
        let types: Vec<Type> = table.columns.iter().map(|(_, t, _)| t.clone()).collect();
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        let mut stmt = replica.prepare(&table.select)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut cells: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(types.len());
            for (i, ty) in types.iter().enumerate() {
                cells.push(cell(row.get_ref(i)?, ty));
            }
            let refs: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c.as_ref()).collect();
            writer.write(&refs)?;
            rows_copied += 1;
            if rows_copied.is_multiple_of(50_000) {
                progress(table.name, rows_copied);
            }
        }
        writer.finish()?;
        progress(table.name, rows_copied);
    }
    for (i, (table, columns)) in INDEXES.iter().enumerate().filter(|(_, (table, _))| *table != figures::COUNTED) {
        tx.batch_execute(&format!("CREATE INDEX {table}_{i} ON {fresh}.{table} ({columns})"))?;
    }
    // Statistics first, so the planner counts the kept measures knowing each table's size.
    tx.batch_execute(&READS.iter().map(|(t, _)| format!("ANALYZE {fresh}.{t};")).collect::<String>())?;
    progress(figures::COUNTED, rows_copied);
    figures::count_kept(&mut tx, &fresh, now)?;
    for (i, (table, columns)) in INDEXES.iter().enumerate().filter(|(_, (table, _))| *table == figures::COUNTED) {
        tx.batch_execute(&format!("CREATE INDEX {table}_{i} ON {fresh}.{table} ({columns}); ANALYZE {fresh}.{table};"))?;
    }
    // Not while a report is reading (it holds the lock shared), and held until this commits.
    tx.batch_execute(&format!(
        "SELECT pg_advisory_xact_lock({SWAP_LOCK}); DROP SCHEMA IF EXISTS {name} CASCADE; ALTER SCHEMA {fresh} RENAME TO {name};"
    ))?;
    tx.execute(
        "UPDATE hub.teams SET operations = $2, copied_at = now(), counted_with = $3 WHERE team_id = $1",
        &[&team_id, &operations, &schema::counted_with()],
    )?;
    tx.commit()?;
    Ok(rows_copied)
}

/// One SQLite value as the PostgreSQL column takes it.
fn cell(value: ValueRef<'_>, ty: &Type) -> Box<dyn ToSql + Sync> {
    match (value, ty) {
        (ValueRef::Null, t) if *t == Type::INT8 => Box::new(None::<i64>),
        (ValueRef::Null, t) if *t == Type::FLOAT8 => Box::new(None::<f64>),
        (ValueRef::Null, _) => Box::new(None::<String>),
        (ValueRef::Integer(i), t) if *t == Type::INT8 => Box::new(i),
        (ValueRef::Integer(i), t) if *t == Type::FLOAT8 => Box::new(i as f64),
        (ValueRef::Real(f), t) if *t == Type::FLOAT8 => Box::new(f),
        (ValueRef::Real(f), t) if *t == Type::INT8 => Box::new(f as i64),
        (ValueRef::Text(s), t) if *t == Type::INT8 => Box::new(String::from_utf8_lossy(s).parse::<i64>().ok()),
        (ValueRef::Text(s), t) if *t == Type::FLOAT8 => Box::new(String::from_utf8_lossy(s).parse::<f64>().ok()),
        (ValueRef::Text(s), _) => Box::new(String::from_utf8_lossy(s).into_owned()),
        (ValueRef::Integer(i), _) => Box::new(i.to_string()),
        (ValueRef::Real(f), _) => Box::new(f.to_string()),
        (ValueRef::Blob(b), _) => Box::new(hex::encode(b)),
    }
}
