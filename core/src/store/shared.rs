//! Long reads shared between connections, a thread each, so a screen that runs many
//! independent queries (the dashboard's sections, Team flags' rules, the hub's monthly returns
//! on PostgreSQL) takes the time of the longest share rather than of them all.
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many connections the app shares the whole team's reads among (Team flags, the
/// dashboard): one a core. Each connection works out who is in the team's scope first, so more
/// would add that work again (Team flags' p95 in the pathway bench: 266 ms on two, 439 on four)
/// and the dashboard read from a cold file cache was no sooner on four.
pub const FOR_THE_TEAM: usize = 2;

/// How many connections a caseload's Today is shared among: more than the laptop's two cores,
/// because on a cold file cache (the day's first screen) its rules spend most of their time
/// waiting for the disk, and four waiting at once finish sooner than two. A caseload of 17,000
/// at bench scale, signed in with the file cache emptied: 0.53-0.86 s on two connections,
/// 0.37-0.50 s on four. Warm, four cost a little (the pathway bench's 2,029-person caseload:
/// p95 3-5 ms more), and the two connections the session does not keep are opened for it
/// (about 2 ms at bench scale).
pub const FOR_TODAY: usize = 4;

/// Runs `work` once per connection, on threads of its own. Each call takes pieces `0..count`
/// from `next` until none is left (so a slow piece does not hold up the rest) and returns what
/// it made of each, numbered. The results come back in piece order.
pub fn share_out<C: Send, T: Send, E: Send>(
    connections: &mut [&mut C],
    count: usize,
    work: impl Fn(&mut C, &dyn Fn() -> Option<usize>) -> Result<Vec<(usize, T)>, E> + Sync,
) -> Result<Vec<T>, E> {
    let taken = AtomicUsize::new(0);
    let next = || Some(taken.fetch_add(1, Ordering::Relaxed)).filter(|i| *i < count);
    let (work, next) = (&work, &next);
    let mut done = std::thread::scope(|scope| {
        let threads: Vec<_> = connections
            .iter_mut()
            .map(|conn| {
                // Each thread takes its own connection; a connection is never shared.
                let conn: &mut C = conn;
                scope.spawn(move || work(conn, next))
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect::<Result<Vec<_>, E>>()
    })?
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, t)| t).collect())
}
