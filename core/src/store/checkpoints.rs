//! Copying the write-ahead log into the database file, away from the saves that fill it.
//!
//! SQLite left to itself copies the log back (a checkpoint) inside the commit that takes it
//! past a thousand pages, so one save in every twenty or so waited about 4 ms more for pages
//! that other saves wrote: registering a person at bench scale, p95 3.75 ms against 1.29 ms at
//! p50. Here the session's connection only says when the log is that long, and a connection of
//! its own on a thread of its own copies it back. A checkpoint copies pages as they are
//! (already encrypted) and holds up no read; until one runs, the log is simply longer, and a
//! crash loses nothing (the log is replayed when the file next opens).
use super::{open_encrypted, DatabaseKey, StoreError};
use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

/// The log's length, in pages, from which it is copied back: SQLite's own default.
const COPIED_FROM: i32 = 1000;
/// The log starts again from its beginning only when a save begins with all of it copied
/// back. Saves one after another (an import, the demo's data) begin before the thread has
/// caught up, so from this length the save that commits copies back what is left (the pages
/// since the thread's last copy, a save's or two) and the next one starts the log again.
const RESTARTED_FROM: i32 = 2 * COPIED_FROM;

/// The thread that copies the log back, and how a save tells it to.
pub(super) struct Checkpoints {
    due: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpoints {
    /// Starts copying back the log of the database at `path` whenever `session`'s commits have
    /// made it [`COPIED_FROM`] pages long. `session` copies back only what is left from
    /// [`RESTARTED_FROM`].
    pub(super) fn start(path: &Path, key: &DatabaseKey, session: &mut Connection) -> Result<Checkpoints, StoreError> {
        let own = open_encrypted(path, key, false)?;
        // One request waiting is enough: a checkpoint copies all the log there is.
        let (due, requests) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("checkpoints".into())
            .spawn(move || {
                for () in requests {
                    // Passive: copies what no reader still needs and waits for no one. A
                    // failure (a full disk) leaves the pages in the log for the next one.
                    let _ = own.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(StoreError::from)?;
        let asks = due.clone();
        session.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            if pages >= COPIED_FROM {
                // Already asked (the thread is busy) or gone (closing): nothing more to do.
                let _ = asks.try_send(());
            }
            if pages >= RESTARTED_FROM {
                // Copies the few pages the thread has not yet: the commit is made whatever
                // this says (busy, a full disk), so it says nothing.
                let _ = wal.checkpoint();
            }
            Ok(())
        }))?;
        Ok(Checkpoints { due: Some(due), thread: Some(thread) })
    }
}

impl Drop for Checkpoints {
    /// Lets the last checkpoint asked for finish and closes its connection, once the session's
    /// hook (the other sender) is gone: closed with the session's connection or replaced. The
    /// file can then be moved or replaced (a restore) with nothing of the store's left open.
    fn drop(&mut self) {
        self.due.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
