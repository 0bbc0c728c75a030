//! Long tasks watched from the window (joining a team, exporting and importing bundles, writing,
//! checking and restoring backups, checking the audit trail, a re-key, an update at sign-in):
//! each runs on a thread kept for blocking work, so the window and its other commands carry on;
//! its progress goes down the channel the window gave, a few times a second; and the worker's
//! Cancel reaches it at its next report (where the task can stop).
use crate::state::{error, AppState, CommandResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::{Manager, State};
use throughline_core::store::progress::{Progress, TaskProgress};
use throughline_core::store::StoreError;
use throughline_core::ErrorCode;

/// Often enough to look smooth, seldom enough that a million changes send a few hundred.
const EVERY: Duration = Duration::from_millis(100);

pub struct Watched<'a> {
    channel: Channel<TaskProgress>,
    cancelled: &'a AtomicBool,
    last: Option<(String, Instant)>,
}

impl<'a> Watched<'a> {
    /// Watches a long task that runs its own way (a reading on a connection of its own) rather
    /// than through [`watched`]: a Cancel from before it started is forgotten.
    pub fn new(channel: Channel<TaskProgress>, cancelled: &'a AtomicBool) -> Watched<'a> {
        cancelled.store(false, Ordering::SeqCst);
        Watched { channel, cancelled, last: None }
    }
}

impl Progress for Watched<'_> {
    fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(StoreError::Cancelled);
        }
        let due = match &self.last {
            Some((was, at)) => was != doing || at.elapsed() >= EVERY || (total > 0 && done == total),
            None => true,
        };
        if due {
            // A window that has gone away no longer watches; the task still finishes.
            let _ = self.channel.send(TaskProgress { doing: doing.to_string(), done, total });
            self.last = Some((doing.to_string(), Instant::now()));
        }
        Ok(())
    }
}

/// Runs `work` as the one long task, watched through `channel`.
pub async fn watched<T, W>(app: &tauri::AppHandle, channel: Channel<TaskProgress>, work: W) -> CommandResult<T>
where
    T: Send + 'static,
    W: FnOnce(&AppState, &mut Watched) -> CommandResult<T> + Send + 'static,
{
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let mut progress = Watched::new(channel, &state.cancel_task);
        let done = work(&state, &mut progress);
        // What a long task's writes held (an import's cache, `Store::in_bulk`: up to 256 MiB) goes
        // back to the system now, not at the next reading.
        crate::memory::give_back_freed();
        done
    })
    .await
    .unwrap_or_else(|_| Err(error(ErrorCode::AppInterrupted, "Throughline could not finish this. Try again.")))
}

/// The worker's Cancel: the long task stops at its next report and undoes what it did. Not
/// async, so it runs at once even while every other thread is busy.
#[tauri::command]
pub fn cancel_task(state: State<'_, AppState>) {
    state.cancel_task.store(true, Ordering::SeqCst);
}
