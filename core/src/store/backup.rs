//! The database's side of a backup: SQLite's online backup of the open database into a new
//! file encrypted with the same key (never a file copy of a live database, which can catch a
//! write half done), and the checks a backup must pass before anyone relies on it.
use super::progress::Progress;
use super::{audit, integrity_problems, migrate, open_encrypted, DatabaseKey, StoreError};
use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Copies the database open on `source` into `dest` (a new file), page by page, while it stays
/// open for work. The copy is a single file (no write-ahead log beside it).
/// `progress` is told the pages copied; cancelled, the caller removes the file.
pub fn copy_live(source: &Connection, key: &DatabaseKey, dest: &Path, progress: &mut dyn Progress) -> Result<(), StoreError> {
    copy_pages(source, key, dest, "Copying the database", progress)
}

/// As [`copy_live`], telling `progress` the pages copied as `doing`.
fn copy_pages(source: &Connection, key: &DatabaseKey, dest: &Path, doing: &str, progress: &mut dyn Progress) -> Result<(), StoreError> {
    let mut target = open_encrypted(dest, key, true)?;
    // A new file, removed by the caller if the copy fails: written straight, with no journal
    // and no sync per page, then synced once whole.
    target.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    {
        let backup = rusqlite::backup::Backup::new(source, &mut target)?;
        // A few hundred pages a step, so a long copy lets the work on the source carry on between.
        loop {
            let step = backup.step(256)?;
            let pages = backup.progress();
            progress.step(doing, (pages.pagecount - pages.remaining) as u64, pages.pagecount as u64)?;
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                _ => std::thread::sleep(std::time::Duration::from_millis(1)),
            }
        }
    }
    target.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(target);
    Ok(std::fs::File::open(dest)?.sync_all()?)
}

/// Where [`into_the_quicker_check`] makes its copy, with any copy left there removed. Done each
/// time the database is opened: a copy cut short by a crash would otherwise stay, under a key
/// that may since have changed.
pub(super) fn clear_quicker_copy(path: &Path) -> std::path::PathBuf {
    let copy = std::path::PathBuf::from(format!("{}-quicker", path.display()));
    let _ = std::fs::remove_file(&copy);
    copy
}

/// What a worker reads while a file made with the slower page check is copied into the quicker.
pub const QUICKER_TO_READ: &str = "Making the database quicker to read on this laptop (once)";

/// Copies the database at `path`, open on `conn` alone, into a new file whose pages are checked
/// the quicker way on this laptop (see `page_check`), puts it in place and opens it. Only reads
/// get quicker, so if the copy cannot be made (the disk full, say) or the file is open
/// elsewhere, the file stays as it is and is used as it is; cancelled, it stays as it is too.
pub(super) fn into_the_quicker_check(
    path: &Path,
    key: &DatabaseKey,
    conn: Connection,
    progress: &mut dyn Progress,
) -> Result<Connection, StoreError> {
    let copy = clear_quicker_copy(path);
    let copied = conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(StoreError::from)
        .and_then(|()| copy_pages(&conn, key, &copy, QUICKER_TO_READ, progress))
        .and_then(|()| Ok(super::owner_only(&copy, 0o600)?));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&copy);
        return match e {
            StoreError::Cancelled => Err(e),
            _ => Ok(conn),
        };
    }
    // Closing the last connection empties the log into the file and removes it; a log still
    // there means another connection has the file open, and it is not swapped under it.
    drop(conn);
    if super::wal_path(path).exists() {
        let _ = std::fs::remove_file(&copy);
    } else {
        std::fs::rename(&copy, path)?;
        if let Some(folder) = path.parent() {
            std::fs::File::open(folder)?.sync_all()?;
        }
    }
    open_encrypted(path, key, false)
}

/// A copy of the database for another installation (a laptop joining the team): a consistent
/// copy (the online backup) under `key`, with the tables in `own` emptied (their rows are this
/// installation's alone) and `adjust` run on it. What is removed is zeroed as it goes
/// (`secure_delete`, as on every connection), so nothing of it lingers in a free page. Returns
/// the file's bytes; nothing is left on disk.
pub fn copy_for_another(
    source: &Connection,
    dest: &Path,
    key: &DatabaseKey,
    own: &[&str],
    adjust: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    progress: &mut dyn Progress,
) -> Result<Vec<u8>, StoreError> {
    let clean: bool = source.query_row("SELECT free_space_clean FROM installation WHERE id = 1", [], |r| r.get(0))?;
    let made = (|| {
        copy_pages(source, key, dest, "Copying the team's data", progress)?;
        progress.step("Taking out what is this laptop's own", 0, 0)?;
        let conn = open_encrypted(dest, key, false)?;
        // The tables go whole: no row of them is checked against another on the way out.
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;")?;
        for table in own {
            // Dropped and made again, as append-only tables refuse a DELETE; its indexes and
            // triggers go with it and are made again with it.
            let definitions: Vec<String> = conn
                .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL ORDER BY type = 'table' DESC, rowid")?
                .query_map([table], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            conn.execute_batch(&format!("DROP TABLE {table};"))?;
            for sql in definitions {
                conn.execute_batch(&sql)?;
            }
        }
        adjust(&conn)?;
        if !clean {
            // A file from before every deletion was zeroed may hold old rows in its free
            // pages: the copy is rebuilt from its live content (once; slow on a big file).
            conn.execute_batch("VACUUM;")?;
        }
        drop(conn);
        Ok(std::fs::read(dest)?)
    })();
    super::remove_database(dest);
    made
}

/// Takes a copy made by [`copy_for_another`] (its bytes, under `transfer_key`) as the database
/// at `path` under this installation's own `key`. A copy made for this installation, under the
/// key it will keep (a laptop's join file), is written as it is, in one pass at the speed of
/// the disk. One under another key (a hub keeps its own) is copied page by page under `key`,
/// every page checked as it is read, so the key that travelled with it opens nothing here.
pub fn take_copy(
    bytes: &[u8],
    transfer_key: &DatabaseKey,
    path: &Path,
    key: &DatabaseKey,
    progress: &mut dyn Progress,
) -> Result<(), StoreError> {
    if transfer_key.0.as_ref() == key.0.as_ref() {
        return Ok(super::write_private(path, bytes, "Taking in the team's data", progress)?.sync_all()?);
    }
    let arrived = path.with_extension("arriving");
    let taken = (|| {
        super::write_private(&arrived, bytes, "Taking in the team's data", progress)?;
        let copy = open_read_only(&arrived, transfer_key)?;
        migrate::check_not_newer(&copy)?;
        copy_pages(&copy, key, path, "Taking in the team's data", progress)
    })();
    super::remove_database(&arrived);
    taken
}

/// What a check of a database file found: sound (integrity and audit chain) or not, and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    pub schema: i64,
    pub audit_entries: i64,
    pub clients: i64,
}

/// Opens a database file read-only with `key` (writing nothing to it, not even its journal mode)
/// and checks it whole: the key opens it, every page decrypts and authenticates, SQLite finds
/// nothing wrong, its schema is one this version knows, and the audit chain is unbroken.
pub fn check_file(path: &Path, key: &DatabaseKey) -> Result<FileCheck, StoreError> {
    let conn = open_read_only(path, key)?;
    migrate::check_not_newer(&conn)?;
    if let Some(problems) = integrity_problems(&conn)? {
        return Err(StoreError::Damaged(problems));
    }
    let chain = audit::verify(&conn)?;
    if let Some(entry) = chain.first_broken_entry {
        return Err(StoreError::Damaged(format!("the audit trail is broken at entry {entry}")));
    }
    let clients = conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0)).unwrap_or(0);
    Ok(FileCheck { schema: migrate::version_of(&conn)?, audit_entries: chain.entries, clients })
}

fn open_read_only(path: &Path, key: &DatabaseKey) -> Result<Connection, StoreError> {
    super::keyed(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, key)
}
