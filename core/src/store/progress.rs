//! How far a long task has got (joining a team, exporting or importing a bundle, writing,
//! checking or restoring a backup), told as it goes, and the worker's way to stop it. Each
//! report may answer that the worker cancelled: the task then stops and undoes what it did (its
//! transaction rolls back, its half-written file goes), so nothing is left half done.
use super::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// One report: what the task is doing, and how much of it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaskProgress {
    pub doing: String,
    #[ts(type = "number")]
    pub done: u64,
    /// 0 while the whole is not known (a check SQLite makes in one go).
    #[ts(type = "number")]
    pub total: u64,
}

pub trait Progress {
    /// Told how far the task has got; `Err(StoreError::Cancelled)` once the worker has
    /// cancelled it, which the task passes on before committing anything.
    fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError>;

    /// As [`Progress::step`] every `EVERY`th item of a long loop (and its last), so a million
    /// items cost four thousand reports.
    fn item(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
        if done.is_multiple_of(EVERY) || done == total {
            self.step(doing, done, total)
        } else {
            Ok(())
        }
    }

    /// As [`Progress::item`] where items are done several at a time: told once the count
    /// passes each `EVERY`th item, however it steps from `done` to `now`.
    fn items(&mut self, doing: &str, done: u64, now: u64, total: u64) -> Result<(), StoreError> {
        if done / EVERY != now / EVERY || now == total {
            self.step(doing, now, total)
        } else {
            Ok(())
        }
    }
}

const EVERY: u64 = 250;

/// A task no one is watching (the automatic backup, tests): it always goes on.
pub struct Unwatched;

impl Progress for Unwatched {
    fn step(&mut self, _: &str, _: u64, _: u64) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Reads a file a megabyte at a time into `each`, telling `progress` the bytes read, so a pass
/// over a large database (hashing it, copying it) can be watched and cancelled.
pub fn read_in_pieces(
    from: &std::path::Path,
    doing: &str,
    progress: &mut dyn Progress,
    mut each: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<(), CopyError> {
    use std::io::Read;
    let mut source = std::fs::File::open(from)?;
    let total = source.metadata()?.len();
    let mut buffer = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        progress.step(doing, done, total)?;
        let n = source.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        each(&buffer[..n])?;
        done += n as u64;
    }
}

/// Copies a file in pieces as [`read_in_pieces`] reads it (the caller removes a copy cut short).
pub fn copy_file(from: &std::path::Path, to: &std::path::Path, doing: &str, progress: &mut dyn Progress) -> Result<(), CopyError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    // The copy is the encrypted database: for this account only from its first byte.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut dest = options.open(to)?;
    read_in_pieces(from, doing, progress, |piece| dest.write_all(piece))?;
    dest.sync_all()?;
    Ok(())
}

/// Why a watched copy stopped: the files, or the worker.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Files(#[from] std::io::Error),
    #[error(transparent)]
    Stopped(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Seen(Vec<u64>);
    impl Progress for Seen {
        fn step(&mut self, _: &str, done: u64, _: u64) -> Result<(), StoreError> {
            self.0.push(done);
            Ok(())
        }
    }

    #[test]
    fn items_done_several_at_a_time_are_told_each_time_the_count_passes_a_report() {
        let mut seen = Seen(Vec::new());
        let mut done = 0;
        while done < 1_000 {
            let now = (done + 2).min(1_000);
            seen.items("Writing", done, now, 1_000).unwrap();
            done = now;
        }
        assert_eq!(seen.0, vec![250, 500, 750, 1_000]);
        let mut seen = Seen(Vec::new());
        for done in (1..=333).map(|i| i * 3) {
            seen.items("Writing", done - 3, done, 999).unwrap();
        }
        assert_eq!(seen.0, vec![252, 501, 750, 999], "each report once a count of 250 is passed, and the whole");
    }
}
