//! The app's share of memory: glibc's allocator, told to keep little of what it frees.

/// A block at least this large is mapped on its own and goes back to the system when freed.
const MAPPED_FROM: i32 = 512 * 1024;
/// Free memory at the top of a heap beyond this goes back to the system at once.
const KEPT_AT_TOP: i32 = 2 * 1024 * 1024;

/// Before any thread starts: at most two malloc arenas, so memory freed by one of the app's
/// threads (readings, long tasks, the web view's IPC) is reused by the next rather than kept
/// in an arena of that thread's own (see Cargo.toml). And fixed thresholds for what is mapped
/// apart and what is handed back: left to itself glibc raises both after the first large block
/// is freed (a list's reply, a reading's sort), to 32 and 64 MiB, and then keeps up to 64 MiB
/// of freed heap at a time (a team lead's tour at bench scale: 202-220 MiB; 190-195 since, with
/// the session's cache at 4 MiB).
pub fn malloc_settings() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator settings; called first thing in main,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM);
        libc::mallopt(libc::M_TRIM_THRESHOLD, KEPT_AT_TOP);
    }
}

/// Gives the operating system back the heap pages nothing holds any more (a reading's page
/// cache, once let go of). glibc otherwise keeps freed memory below the top of its heap for
/// later, so the app would stay at the size of its largest read.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of glibc's heap to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
