//! The app's share of memory: glibc's allocator, told to keep little of what it frees.

/// Before any thread starts: at most two malloc arenas, so memory freed by one of the app's
/// threads (readings, long tasks, the web view's IPC) is reused by the next rather than kept
/// in an arena of that thread's own (see Cargo.toml).
pub fn two_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator settings; called first thing in main,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
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
