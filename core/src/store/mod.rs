//! The encrypted database: opening it with its key, the schema, and the one write path.
pub mod audit;
pub mod history;
pub mod hlc;
mod migrate;
pub mod record;
mod write;

pub use write::{Actor, Write};

use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::error::Coded;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The 32 random bytes that encrypt the database. Never derived from a password directly:
/// each account's key slot wraps it (see `accounts::keyslots`).
#[derive(Clone)]
pub struct DatabaseKey(pub(crate) Zeroizing<[u8; 32]>);

impl DatabaseKey {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, bytes.as_mut());
        DatabaseKey(bytes)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("This copy of Throughline was built without database encryption, so it will not run.")]
    NoEncryption,
    #[error("The database could not be unlocked with this key.")]
    WrongKey,
    #[error("This database was written by a newer Throughline (schema {found}, this version knows {known}). Update Throughline.")]
    NewerSchema { found: i64, known: i64 },
    #[error("The database could not be read or written: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("A record could not be prepared for saving: {0}")]
    Serialise(#[from] serde_json::Error),
}

impl Coded for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::NoEncryption => ErrorCode::StoreNoEncryption,
            StoreError::WrongKey => ErrorCode::StoreWrongKey,
            StoreError::NewerSchema { .. } => ErrorCode::StoreNewerSchema,
            StoreError::Database(_) => ErrorCode::StoreDatabase,
            StoreError::Serialise(_) => ErrorCode::StoreSerialise,
        }
    }
}

/// One open, unlocked database. Dropping it closes the connection and forgets the key.
pub struct Store {
    conn: Connection,
    clock: Arc<dyn Clock>,
    device_id: String,
}

impl Store {
    /// Creates a new encrypted database for a new installation.
    pub fn create(path: &Path, key: &DatabaseKey, clock: Arc<dyn Clock>, team_name: &str) -> Result<Store, StoreError> {
        let team_id = crate::ids::new_id(clock.as_ref());
        let device_id = crate::ids::new_id(clock.as_ref());
        Store::create_in_team(path, key, clock, &team_id, team_name, &device_id)
    }

    /// Creates the database of a laptop joining an existing team, as this device.
    pub fn create_in_team(
        path: &Path,
        key: &DatabaseKey,
        clock: Arc<dyn Clock>,
        team_id: &str,
        team_name: &str,
        device_id: &str,
    ) -> Result<Store, StoreError> {
        let mut conn = open_encrypted(path, key, true)?;
        migrate::migrate(&mut conn)?;
        let device_id = device_id.to_string();
        conn.execute(
            "INSERT INTO installation (id, team_id, team_name, device_id, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
            rusqlite::params![team_id, team_name, device_id, clock.now().to_rfc3339()],
        )?;
        Ok(Store { conn, clock, device_id })
    }

    /// Opens an existing database; fails closed on a wrong key or a build without encryption.
    pub fn open(path: &Path, key: &DatabaseKey, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        let mut conn = open_encrypted(path, key, false)?;
        migrate::migrate(&mut conn)?;
        let device_id = conn.query_row("SELECT device_id FROM installation WHERE id = 1", [], |r| r.get(0))?;
        let store = Store { conn, clock, device_id };
        store.refresh_statistics()?;
        Ok(store)
    }

    /// Gives SQLite's query planner current statistics (from a sample of each index, so it is
    /// quick), as SQLite advises when a long-lived connection opens and after bulk changes:
    /// the flag rules rely on it to choose between probing a client-keyed index for each
    /// client in scope and reading a small partial index whole.
    pub fn refresh_statistics(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
        Ok(())
    }

    /// Runs `work` in one transaction: the records it writes, their operations and the audit
    /// entries are committed together or not at all. This is the only way to change data.
    pub fn write<T, E>(&mut self, actor: &Actor, work: impl FnOnce(&mut Write<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let mut w = Write::new(tx, actor, now, &self.device_id);
        let out = work(&mut w)?;
        w.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Read-only access for queries. Writes through this handle are a bug: use [`Store::write`].
    pub fn reader(&self) -> &Connection {
        &self.conn
    }

    /// The connection as a unique borrow, to read on a thread of its own.
    pub fn reader_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Opens another connection to this database for reads (see [`ReadStore`]).
    pub fn open_reader(&self, path: &Path, key: &DatabaseKey) -> Result<ReadStore, StoreError> {
        Ok(ReadStore { conn: open_encrypted(path, key, false)?, clock: self.clock.clone() })
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn team_name(&self) -> Result<String, StoreError> {
        team_name(&self.conn)
    }

    pub fn verify_audit_chain(&self) -> Result<audit::ChainCheck, StoreError> {
        Ok(audit::verify(&self.conn)?)
    }
}

/// The schema version this build writes (a bundle from a newer one is refused).
pub fn schema_version() -> i64 {
    migrate::latest()
}

/// A connection of its own for reading: a long read (a team's flags) on it holds up nothing
/// else, and WAL lets it read while the session's connection writes. It never writes records.
pub struct ReadStore {
    conn: Connection,
    clock: Arc<dyn Clock>,
}

impl ReadStore {
    pub fn reader(&self) -> &Connection {
        &self.conn
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn team_name(&self) -> Result<String, StoreError> {
        team_name(&self.conn)
    }

    /// The connection as a unique borrow, to read on a thread of its own (the dashboard shares
    /// its sections across two connections).
    pub fn reader_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

fn team_name(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT team_name FROM installation WHERE id = 1", [], |r| r.get(0))?)
}

/// SQLCipher's set-up of a connection's codec is not safe to run on several threads at once
/// (seen as a spurious "PRAGMA key requires a key" failure), so opening and keying a database
/// happens one at a time. It is rare: sign-in, unlock, set-up.
static OPENING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn open_encrypted(path: &Path, key: &DatabaseKey, create: bool) -> Result<Connection, StoreError> {
    let _one_at_a_time = OPENING.lock().unwrap_or_else(|e| e.into_inner());
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    // Fail closed: a SQLite without SQLCipher would silently ignore the key.
    let cipher: Option<String> = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).ok();
    if cipher.as_deref().is_none_or(str::is_empty) {
        return Err(StoreError::NoEncryption);
    }
    let hex_key = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(key.0.as_ref())));
    conn.execute_batch(&hex_key)?;
    // The first read decrypts page 1; a wrong key fails here.
    if conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err() {
        return Err(StoreError::WrongKey);
    }
    crate::phonetic::register(&conn)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         -- Every page read is decrypted; a 64 MiB cache keeps a district's register in memory.
         PRAGMA cache_size = -65536;",
    )?;
    Ok(conn)
}
