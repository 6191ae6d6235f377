//! Memory the process freed, given back to the system.
//!
//! glibc's allocator keeps what a thread freed in that thread's arena for
//! reuse, and returns pages only from the top of each heap. On a large plan
//! the launch's one-off work — the plan read from its rows, the full
//! integrity check, today's backup — peaks at some hundred megabytes on the
//! blocking threads and leaves most of it resident though nothing uses it
//! again (on the generated 10,000-issue plan: the app's process 225 MB at
//! 10 s, 129 MB after a trim; docs/BENCHMARKS.md). Long reads call
//! [`give_back`] when they finish, off the window's threads.

/// Asks the allocator to return the memory it holds free; whether it gave
/// any back. Elsewhere than glibc it does nothing (musl, macOS and Windows
/// return freed memory themselves, or have no such call).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_back() -> bool {
    // SAFETY: malloc_trim takes no pointer and touches only glibc's own free
    // lists, under the locks every allocation takes; it is callable from any
    // thread at any time.
    unsafe { libc::malloc_trim(0) == 1 }
}

/// See the glibc version: nothing to do here.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::give_back;

    /// A freed burst of small allocations below a live one stays resident
    /// under glibc until trimmed; the call answers without harm either way.
    #[test]
    fn a_freed_burst_is_given_back() {
        let burst: Vec<Vec<u8>> = (0..20_000).map(|i| vec![(i % 251) as u8; 2048]).collect();
        let keep = vec![1u8; 64];
        drop(burst);
        let gave = give_back();
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        assert!(
            gave,
            "40 MB freed below a live allocation, nothing given back"
        );
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        assert!(!gave);
        assert_eq!(keep, vec![1u8; 64], "a live allocation is untouched");
    }
}
