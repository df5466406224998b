//! How the server asks glibc's allocator to behave.
//!
//! With glibc's defaults, peak memory wandered widely from one run of the
//! same session to the next (figures in docs/performance.md). Two of them
//! cause that. glibc gives threads their own arenas (up to eight per core),
//! and memory freed in one arena serves no other thread. Here the reader,
//! the runtime's workers, the blocking pool and the writer all allocate,
//! and large buffers pass between them. glibc also raises its threshold for
//! serving a large block with `mmap` each time such a block is freed. The
//! megabyte-sized buffers of a message, a copy of the text or an answer
//! then come from the heap, and the holes they leave stay resident. Two
//! arenas and a fixed threshold keep the peak low and steady. One arena was
//! as small but indexed a large workspace slower, its scan threads waiting
//! for each other.

/// Applies the settings; call before any thread is started.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// Blocks from this size get pages of their own, returned on free.
        const MMAP_THRESHOLD: libc::c_int = 256 * 1024;
        // SAFETY: `mallopt` only changes allocator parameters; it is called
        // before the server starts any thread.
        let ok = unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2) == 1
                && libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        };
        if !ok {
            tracing::debug!("mallopt refused a setting; keeping glibc's defaults");
        }
    }
}
