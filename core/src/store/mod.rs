//! The encrypted database: opening it with its key, the schema, and the one write path.
pub mod anchor;
pub mod audit;
pub mod backup;
mod checkpoints;
pub mod history;
pub mod hlc;
pub mod kept;
pub(crate) mod migrate;
mod page_check;
pub mod progress;
pub mod record;
pub mod shared;
pub mod signing;
mod write;

pub use migrate::latest as latest_schema;
pub use write::{Actor, Write};

use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::error::Coded;
use page_check::PageCheck;
use progress::Progress;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The 32 random bytes that encrypt the database. Never derived from a password directly:
/// each account's key slot holds it sealed (see `accounts::keyslots`). It changes when a worker
/// leaves ([`Store::rekey`]).
#[derive(Clone)]
pub struct DatabaseKey(pub(crate) Zeroizing<[u8; 32]>);

impl DatabaseKey {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, bytes.as_mut());
        DatabaseKey(bytes)
    }

    /// The key's bytes, for Throughline's own tests that open the file through SQLCipher
    /// themselves (a leaver's old key opens nothing). Not in the app or the demo.
    #[cfg(feature = "fast-kdf-for-tests")]
    pub fn bytes_for_tests(&self) -> [u8; 32] {
        *self.0
    }
}

/// Only the worker's own account may read Throughline's files (Unix permissions). Here in the
/// store, the lowest layer, because the store writes files of its own (the anchor); accounts
/// use it for the key slots and backups.
pub fn owner_only(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Removes a database that was being made and its companions (the WAL, the shared memory, the
/// anchor), so nothing half-made is left behind.
pub fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_file(path.with_extension("anchor"));
}

/// What a worker reads while the database is given a new key ([`Store::rekey`]).
pub const REKEYING: &str = "Giving the database a new key";
pub const REKEY_SAVING: &str = "Saving the database under its new key";

/// The bytes before each page in the write-ahead log.
const WAL_FRAME_HEADER: u64 = 24;

fn wal_path(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// Writes a new file only its owner can read (a database on its way in), telling `progress`
/// the bytes written as `doing`; cancelled part way, the caller removes the file. Not synced
/// here: the caller syncs the file it keeps, and a copy removed once copied need not be.
pub(crate) fn write_private(path: &Path, bytes: &[u8], doing: &str, progress: &mut dyn Progress) -> Result<std::fs::File, StoreError> {
    use std::io::Write;
    const CHUNK: usize = 16 << 20;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    let total = bytes.len() as u64;
    progress.step(doing, 0, total)?;
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        file.write_all(chunk)?;
        progress.step(doing, ((i * CHUNK + chunk.len()) as u64).min(total), total)?;
    }
    Ok(file)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("This copy of Throughline was built without database encryption, so it will not run.")]
    NoEncryption,
    #[error("The database could not be unlocked with this key.")]
    WrongKey,
    #[error("This database was written by a newer Throughline (schema {found}, this version knows {known}). Update Throughline.")]
    NewerSchema { found: i64, known: i64 },
    #[error(
        "Throughline could not update the database to this version (step {step}: {reason}). The database is unchanged, \
         as the previous version left it: keep using the previous version and tell your administrator."
    )]
    MigrationFailed { step: String, reason: String },
    #[error("The disk is full, so this was not saved. Everything saved before is safe: free some space on the laptop, then try again.")]
    DiskFull,
    #[error(
        "Throughline cannot write to its data folder (it is read-only, or the drive holding it was removed). \
         Check the drive is connected and writable, then start Throughline again."
    )]
    ReadOnly,
    #[error(
        "The database file is damaged or does not belong to this installation's key slots, so it cannot be opened. \
         Restore the latest backup (first screen: Restore from a backup), or ask your administrator."
    )]
    Corrupt,
    #[error("The database file failed its check: {0}.")]
    Damaged(String),
    #[error("Cancelled before it finished: nothing was changed.")]
    Cancelled,
    #[error("The database could not be read or written: {0}")]
    Database(rusqlite::Error),
    #[error("A record could not be prepared for saving: {0}")]
    Serialise(#[from] serde_json::Error),
    #[error(
        "This change was not saved: it needs your own signing key on this laptop, and the team does not know yours here yet \
         (other laptops would refuse the change). Export a bundle so it reaches an administrator, then read them the \
         characters under Settings, Your signing key: once they vouch for it on their Workers screen and their bundle is imported here, \
         make the change again."
    )]
    NoKeyHere,
}

impl Coded for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::NoEncryption => ErrorCode::StoreNoEncryption,
            StoreError::WrongKey => ErrorCode::StoreWrongKey,
            StoreError::NewerSchema { .. } => ErrorCode::StoreNewerSchema,
            StoreError::MigrationFailed { .. } => ErrorCode::StoreMigrationFailed,
            StoreError::DiskFull => ErrorCode::StoreDiskFull,
            StoreError::ReadOnly => ErrorCode::StoreReadOnly,
            StoreError::Corrupt | StoreError::Damaged(_) => ErrorCode::StoreCorrupt,
            StoreError::Cancelled => ErrorCode::TaskCancelled,
            StoreError::Database(_) => ErrorCode::StoreDatabase,
            StoreError::Serialise(_) => ErrorCode::StoreSerialise,
            StoreError::NoKeyHere => ErrorCode::AuthNoKeyHere,
        }
    }
}

/// A file that could not be written: a full disk says so; anything else is the data folder.
impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => StoreError::DiskFull,
            _ => StoreError::ReadOnly,
        }
    }
}

/// SQLite's failures that a person can act on get their own words; the rest stay technical.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as Sqlite;
        match e.sqlite_error_code() {
            Some(Sqlite::DiskFull) => StoreError::DiskFull,
            Some(Sqlite::ReadOnly) | Some(Sqlite::CannotOpen) | Some(Sqlite::SystemIoFailure) => StoreError::ReadOnly,
            Some(Sqlite::DatabaseCorrupt) | Some(Sqlite::NotADatabase) => StoreError::Corrupt,
            _ => StoreError::Database(e),
        }
    }
}

/// One open, unlocked database. Dropping it closes the connection and forgets the key.
pub struct Store {
    conn: Connection,
    /// Copies the write-ahead log back off the save path. Closed after `conn`, whose hook
    /// holds the other end of its requests: the last connection closed copies back the rest.
    checkpoints: checkpoints::Checkpoints,
    clock: Arc<dyn Clock>,
    device_id: String,
    /// The audit trail's end, kept outside the database (see `anchor`).
    anchor: anchor::Anchor,
    /// The head last written to the anchor; None while the anchor is not kept (it was found
    /// missing or altered: left as found, for the audit trail check to report).
    anchored: Option<anchor::Head>,
    file: FileIdentity,
    /// The worker signed in and their key, which signs the changes only some roles may make.
    author: Option<signing::Author>,
}

/// Which file on disk the database is, to notice it being moved or removed while open: SQLite
/// would go on writing to a file no longer in the folder (lost at exit), so a write is refused.
struct FileIdentity {
    path: std::path::PathBuf,
    id: Option<(u64, u64)>,
}

impl FileIdentity {
    fn of(path: &Path) -> FileIdentity {
        FileIdentity { path: path.to_path_buf(), id: Self::id(path) }
    }

    #[cfg(unix)]
    fn id(path: &Path) -> Option<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }

    #[cfg(not(unix))]
    fn id(path: &Path) -> Option<(u64, u64)> {
        path.exists().then_some((0, 0))
    }

    fn still_there(&self) -> bool {
        Self::id(&self.path) == self.id
    }
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
        conn.execute_batch(SESSION_CACHE)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        let device_id = device_id.to_string();
        conn.execute(
            // A new file has never held anything that was not zeroed when deleted.
            "INSERT INTO installation (id, team_id, team_name, device_id, created_at, free_space_clean) VALUES (1, ?1, ?2, ?3, ?4, 1)",
            rusqlite::params![team_id, team_name, device_id, clock.now().to_rfc3339()],
        )?;
        let anchor = anchor::Anchor::for_database(path, key);
        let checkpoints = checkpoints::Checkpoints::start(path, key, &mut conn)?;
        let mut store = Store { conn, checkpoints, clock, device_id, anchor, anchored: None, file: FileIdentity::of(path), author: None };
        store.start_anchoring()?;
        Ok(store)
    }

    /// Opens an existing database; fails closed on a wrong key or a build without encryption.
    pub fn open(path: &Path, key: &DatabaseKey, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        Store::open_watched(path, key, clock, &mut progress::Unwatched)
    }

    /// As [`Store::open`], telling `progress` the steps of an update to the schema, if the
    /// database was last written by an older version, and of the copy of a file made with the
    /// slower page check into the quicker on this laptop ([`page_check`]), once.
    pub fn open_watched(path: &Path, key: &DatabaseKey, clock: Arc<dyn Clock>, progress: &mut dyn Progress) -> Result<Store, StoreError> {
        backup::clear_quicker_copy(path);
        let mut conn = open_encrypted(path, key, false)?;
        if PageCheck::of(&conn)? != PageCheck::quickest_here() && migrate::check_not_newer(&conn).is_ok() {
            conn = backup::into_the_quicker_check(path, key, conn, progress)?;
        }
        migrate::migrate_watched(&mut conn, progress)?;
        conn.execute_batch(SESSION_CACHE)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        let device_id = conn.query_row("SELECT device_id FROM installation WHERE id = 1", [], |r| r.get(0))?;
        let anchor = anchor::Anchor::for_database(path, key);
        let checkpoints = checkpoints::Checkpoints::start(path, key, &mut conn)?;
        let mut store = Store { conn, checkpoints, clock, device_id, anchor, anchored: None, file: FileIdentity::of(path), author: None };
        match store.anchor.read() {
            anchor::Anchored::Head(head) => store.anchored = Some(head),
            // A database from before the anchor: anchored from here on, and the trail says so.
            anchor::Anchored::Missing if !store.was_anchored()? => store.start_anchoring()?,
            // Missing or altered after anchoring began: left as found for the check to report.
            anchor::Anchored::Missing | anchor::Anchored::Unreadable => {}
        }
        store.refresh_statistics()?;
        Ok(store)
    }

    /// Runs a large write (a bundle's import, the demo's people) with a reading connection's
    /// cache, so it does not write out and read back its own pages as it goes; afterwards the
    /// cache is the session's again and its pages are let go of.
    pub fn in_bulk<T>(&mut self, work: impl FnOnce(&mut Store) -> T) -> T {
        // Only the cache's size changes; if SQLite refused, the write would still be right.
        let _ = self.conn.execute_batch(BULK_CACHE);
        let done = work(self);
        let _ = self.conn.execute_batch(SESSION_CACHE);
        let_go_of_pages(&self.conn);
        done
    }

    fn was_anchored(&self) -> rusqlite::Result<bool> {
        self.conn.query_row("SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = ?1)", [anchor::ANCHORED_ACTION], |r| r.get(0))
    }

    /// Records in the trail that its end is kept outside the database from now on, and keeps it.
    fn start_anchoring(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        audit::append(
            &tx,
            self.clock.now(),
            &audit::AuditEntry {
                worker_id: None,
                action: anchor::ANCHORED_ACTION,
                record_type: None,
                record_id: None,
                client_id: None,
                detail: "where the trail ends is kept outside the database from here on, so entries cut off the end are detected",
            },
        )?;
        tx.commit()?;
        self.anchored = Some(anchor::Head { seq: 0, hash: String::new() });
        self.keep_anchor();
        Ok(())
    }

    /// Writes the trail's new end to the anchor after a write that added to it. A failure to
    /// write the file leaves the anchor behind the trail, which the check does not count
    /// against it; the next write tries again.
    fn keep_anchor(&mut self) {
        let Some(kept) = &self.anchored else { return };
        let Ok(Some(head)) = audit::head(&self.conn) else { return };
        if &head == kept {
            return;
        }
        // The anchor moves on only from the entry it last recorded: if that entry is gone or
        // different (entries cut off the end, then new ones written), it is left as it is for
        // the check to report.
        if kept.seq > 0 && !audit::has_entry(&self.conn, kept).unwrap_or(false) {
            self.anchored = None;
            return;
        }
        if self.anchor.write(&head).is_ok() {
            self.anchored = Some(head);
        }
    }

    /// What the anchor file says now, for the audit trail check.
    pub fn anchored(&self) -> anchor::Anchored {
        self.anchor.read()
    }

    /// Gives SQLite's query planner current statistics (from a sample of each index, so it is
    /// quick), as SQLite advises when a long-lived connection opens and after bulk changes:
    /// the flag rules rely on it to choose between probing a client-keyed index for each
    /// client in scope and reading a small partial index whole.
    pub fn refresh_statistics(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
        Ok(())
    }

    /// After a person is anonymised: empties the write-ahead log, whose older frames still hold
    /// pages as they were. The database file itself holds no trace, since every connection
    /// zeroes what it deletes or overwrites (`secure_delete`); a file written before that was so
    /// is rebuilt from its live content (VACUUM) the first time, which takes longer, and then
    /// never again. A reader holding the log open leaves it for the next checkpoint.
    pub fn erase_free_space(&mut self) -> Result<(), StoreError> {
        let clean: bool = self.conn.query_row("SELECT free_space_clean FROM installation WHERE id = 1", [], |r| r.get(0))?;
        if !clean {
            self.conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; UPDATE installation SET free_space_clean = 1 WHERE id = 1;")?;
        }
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Encrypts the whole database with `new` from now on (SQLCipher's `PRAGMA rekey`: every
    /// page written again under the new key in one transaction, so a crash leaves it under the
    /// old key or the new, never a mix), and seals the audit trail's anchor with the new key.
    /// Every other connection to the file (readers) still holds the old key and reads nothing
    /// afterwards: the caller drops them. The caller also keeps the key slots in step
    /// (`accounts::Session::forget_leavers`).
    ///
    /// On a large team this takes a minute (4.2 GB at bench scale: 62 s), so `progress` is told
    /// the pages written under the new key as they go; a re-key is not stopped part way (the
    /// leaver's password would still open the laptop), so a Cancel is not heard.
    pub fn rekey(&mut self, new: &DatabaseKey, progress: &mut dyn Progress) -> Result<(), StoreError> {
        if !self.file.still_there() {
            return Err(StoreError::ReadOnly);
        }
        // The write-ahead log emptied into the file first, so no frame under the old key is
        // left in it (a reader still open may keep some: the rekey writes every page anew, so
        // none of them is read again).
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let rekey = Zeroizing::new(format!("PRAGMA rekey = \"x'{}'\";", hex::encode(new.0.as_ref())));
        let pages = self.conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))?.max(0) as u64;
        // SQLCipher answers for the page size with its cipher_page_size, as text.
        let page_size: u64 = self.conn.query_row("PRAGMA page_size", [], |r| {
            let v = r.get_ref(0)?;
            Ok(v.as_i64().ok().map(|n| n as u64).or_else(|| v.as_str().ok()?.parse().ok()).unwrap_or(4096))
        })?;
        let frame = page_size + WAL_FRAME_HEADER;
        let log = wal_path(&self.file.path);
        let conn = &mut self.conn;
        // SQLCipher writes every page in one call that tells nothing, spilling them into the
        // write-ahead log as it goes: the log's length is how far it has got.
        std::thread::scope(|scope| {
            let rekeying = scope.spawn(move || conn.execute_batch(&rekey));
            while !rekeying.is_finished() {
                let written = std::fs::metadata(&log).map_or(0, |m| m.len() / frame).min(pages);
                let _ = progress.step(REKEYING, written, pages);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            rekeying.join().unwrap_or_else(|panicked| std::panic::resume_unwind(panicked))
        })?;
        let _ = progress.step(REKEYING, pages, pages);
        let _ = progress.step(REKEY_SAVING, 0, 0);
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        // The file opens with the new key on a connection of its own, as the next sign-in's will;
        // the log is copied back from now on by one that holds it.
        self.checkpoints = checkpoints::Checkpoints::start(&self.file.path, new, &mut self.conn)?;
        self.anchor = anchor::Anchor::for_database(&self.file.path, new);
        if let Some(head) = self.anchored.clone().filter(|h| h.seq > 0) {
            // A failure leaves the anchor sealed with the old key until the next write seals it
            // again (every write moves it on).
            let _ = self.anchor.write(&head);
        }
        Ok(())
    }

    /// Runs `work` in one transaction: the records it writes, their operations and the audit
    /// entries are committed together or not at all. This is the only way to change data.
    /// From now on, changes that need their author's signature are signed with `author`'s key
    /// (set at sign-in, from the worker's key slot).
    pub fn sign_as(&mut self, author: Option<signing::Author>) {
        self.author = author;
    }

    /// The public half of the signed-in worker's key, if they have one here.
    pub fn author_key(&self) -> Option<String> {
        self.author.as_ref().map(signing::Author::public_hex)
    }

    pub fn write<T, E>(&mut self, actor: &Actor, work: impl FnOnce(&mut Write<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if !self.file.still_there() {
            return Err(StoreError::ReadOnly.into());
        }
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let mut w = Write::new(tx, actor, now, &self.device_id, self.author.as_ref());
        let out = work(&mut w)?;
        w.commit().map_err(StoreError::from)?;
        self.keep_anchor();
        Ok(out)
    }

    /// As [`Store::write`], for the audit entries of reads (a worker looking at a record's
    /// parts): committed without waiting for the disk (WAL, `synchronous = NORMAL`), so opening
    /// a record stays within its budget. They survive the app closing or crashing; a power cut
    /// can lose the last of them, never a record change. The anchor moves past them at the next
    /// durable write (which makes them durable too), so it never points beyond what the disk
    /// holds.
    pub fn write_reads<T, E>(&mut self, actor: &Actor, work: impl FnOnce(&mut Write<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.conn.pragma_update(None, "synchronous", "NORMAL").map_err(StoreError::from)?;
        let now = self.clock.now();
        let result = (|| {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
            let mut w = Write::new(tx, actor, now, &self.device_id, self.author.as_ref());
            let out = work(&mut w)?;
            w.commit().map_err(StoreError::from)?;
            Ok(out)
        })();
        self.conn.pragma_update(None, "synchronous", "FULL").map_err(StoreError::from)?;
        result
    }

    /// `PRAGMA integrity_check`: None when the database is sound, otherwise SQLite's first findings.
    pub fn integrity_problems(&self) -> Result<Option<String>, StoreError> {
        integrity_problems(&self.conn)
    }

    /// Where the audit trail's anchor is kept (a backup takes it with the database).
    pub fn anchor_path(&self) -> std::path::PathBuf {
        self.anchor.path().to_path_buf()
    }

    /// Read-only access for queries. Writes through this handle are a bug: use [`Store::write`].
    pub fn reader(&self) -> &Connection {
        &self.conn
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The connection as a unique borrow, to read on a thread of its own.
    pub fn reader_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Opens another connection to this database for reads (see [`ReadStore`]).
    pub fn open_reader(&self, path: &Path, key: &DatabaseKey) -> Result<ReadStore, StoreError> {
        Ok(ReadStore { conn: open_encrypted(path, key, false)?, clock: self.clock.clone(), anchor: self.anchor.clone() })
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Makes this laptop a new one in the team's log, once a backup is restored: its operations
    /// from now on carry a new laptop id and number from 1, so none reuses a number the laptop
    /// it was restored from may already have sent. The first sync enrols it as that laptop's
    /// successor (sync/devices.rs). A laptop that never synced sent nothing: it stays as it was.
    /// Returns the new id, if it took one.
    pub fn take_new_device_id(&mut self) -> Result<Option<String>, StoreError> {
        let synced: bool = self.conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_identity)", [], |r| r.get(0))?;
        if !synced {
            return Ok(None);
        }
        let device_id = crate::ids::new_id(self.clock.as_ref());
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE installation SET restored_from = device_id, device_id = ?1 WHERE id = 1", [&device_id])?;
        tx.execute("UPDATE device_state SET next_seq = 1 WHERE id = 1", [])?;
        tx.commit()?;
        self.device_id = device_id.clone();
        Ok(Some(device_id))
    }

    pub fn team_name(&self) -> Result<String, StoreError> {
        team_name(&self.conn)
    }

    /// Checks the audit trail: the chain, and its end against the anchor.
    pub fn verify_audit_chain(&self) -> Result<audit::ChainCheck, StoreError> {
        let anchored = self.anchor.read();
        audit::check(&self.conn, Some(&anchored), &mut progress::Unwatched)
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
    anchor: anchor::Anchor,
}

impl ReadStore {
    pub fn reader(&self) -> &Connection {
        &self.conn
    }

    /// Frees the pages this connection decrypted for its last read. In WAL mode its cache is
    /// discarded anyway when the next read finds the database changed, and nearly every screen
    /// writes (the audit of whose data it showed), so between reads it holds up to 64 MiB that
    /// would not be read again.
    pub fn let_go_of_pages(&self) {
        let_go_of_pages(&self.conn);
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn team_name(&self) -> Result<String, StoreError> {
        team_name(&self.conn)
    }

    /// Checks the audit trail: the chain, and its end against the anchor. The anchor is read
    /// first: it is written after each write commits, so the trail read afterwards reaches at
    /// least as far.
    pub fn verify_audit_chain(&self, progress: &mut dyn Progress) -> Result<audit::ChainCheck, StoreError> {
        let anchored = self.anchor.read();
        audit::check(&self.conn, Some(&anchored), progress)
    }

    /// The connection as a unique borrow, to read on a thread of its own (see [`shared`]).
    pub fn reader_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// `PRAGMA integrity_check`: None when the database is sound, otherwise SQLite's first findings.
pub fn integrity_problems(conn: &Connection) -> Result<Option<String>, StoreError> {
    let found: Vec<String> =
        conn.prepare("PRAGMA integrity_check(20)")?.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
    Ok((found != ["ok"]).then(|| found.join("; ")))
}

/// A hash of every row of every table, in key order: two databases with the same content have
/// the same hash, whatever their pages look like (a backup and its original, a database before
/// and after an update that changed no records).
pub fn content_hash(conn: &Connection) -> Result<String, StoreError> {
    use sha2::{Digest, Sha256};
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut hash = Sha256::new();
    for table in tables {
        // FTS5's shadow tables follow their content; they are hashed as the rows they hold.
        hash.update(table.as_bytes());
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1")))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                let value = format!("{:?}", row.get_ref(i)?);
                hash.update((value.len() as u64).to_le_bytes());
                hash.update(value.as_bytes());
            }
        }
    }
    Ok(hex::encode(hash.finalize()))
}

fn team_name(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT team_name FROM installation WHERE id = 1", [], |r| r.get(0))?)
}

/// Changes whenever a record does: every change to a record is an operation, and operations
/// are only ever added (a revocation that sets some aside adds its own). What is worked out
/// from the records alone can be kept while this stays the same.
pub fn records_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(rowid), 0) FROM operations", [], |r| r.get(0))
}

/// The session's own connection lives as long as the sign-in: records open on it and every save
/// is written through it, and neither needs more than a few thousand pages at hand (opening a
/// client measured the same at 4, 16 and 64 MiB). Searches and lists run on reading connections
/// (64 MiB, let go after each read). Large writes take more while they run ([`Store::in_bulk`]).
const SESSION_CACHE: &str = "PRAGMA cache_size = -4096;";
/// A large write's cache: a team's million changes imported write out and read back fewer of
/// their own pages at 256 MiB than at 64 (44.0 -> 41.5 s, the same run's bare inserts 27-29 s).
/// SQLite takes the memory only as the write fills it and lets go of it when the write is done
/// (the app then hands it back to the system), so the signed-in app does not keep it.
const BULK_CACHE: &str = "PRAGMA cache_size = -262144;";

/// Prepared statements the session's own connection keeps. Every save goes through it, and a
/// team's log names about thirty kinds of record, each written with its own columns: with
/// rusqlite's default of sixteen, an import prepared most statements afresh. Reading
/// connections keep the default.
const STATEMENTS_KEPT: usize = 128;

/// Frees the pages a connection holds in its cache. Only memory is given back; a failure
/// leaves the cache as it was, which is harmless.
fn let_go_of_pages(conn: &Connection) {
    let _ = conn.execute_batch("PRAGMA shrink_memory");
}

/// SQLCipher's set-up of a connection's codec is not safe to run on several threads at once
/// (seen as a spurious "PRAGMA key requires a key" failure), so opening and keying a database
/// happens one at a time. It is rare: sign-in, unlock, set-up.
static OPENING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The functions the schema's triggers and views call, made available to a connection:
/// `name_keys` (the search index) and `london_date` (the arrests kept in sequence).
pub(crate) fn functions(conn: &Connection) -> rusqlite::Result<()> {
    crate::phonetic::register(conn)?;
    crate::calendar::when::register(conn)
}

fn open_encrypted(path: &Path, key: &DatabaseKey, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = keyed(path, flags, key)?;
    functions(&conn)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA secure_delete = ON;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         -- Every page read is decrypted; a 64 MiB cache keeps a district's register in memory.
         PRAGMA cache_size = -65536;",
    )?;
    Ok(conn)
}

/// Opens the file at `path` with `key`, its pages checked as it was made (see [`page_check`]):
/// a new file the quicker way here, an existing one whichever way it has. Fails closed on a
/// build without SQLCipher or a key that opens neither way.
fn keyed(path: &Path, flags: OpenFlags, key: &DatabaseKey) -> Result<Connection, StoreError> {
    let _one_at_a_time = OPENING.lock().unwrap_or_else(|e| e.into_inner());
    let hex_key = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(key.0.as_ref())));
    for check in PageCheck::in_order_to_try() {
        let conn = Connection::open_with_flags(path, flags)?;
        // Fail closed: a SQLite without SQLCipher would silently ignore the key.
        let cipher: Option<String> = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).ok();
        if cipher.as_deref().is_none_or(str::is_empty) {
            return Err(StoreError::NoEncryption);
        }
        conn.execute_batch(&hex_key)?;
        check.set(&conn)?;
        // The first read decrypts and checks page 1; a wrong key, or the other check, fails here.
        if conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok() {
            return Ok(conn);
        }
    }
    Err(StoreError::WrongKey)
}
