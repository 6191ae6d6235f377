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

    /// The process's resident memory, in kB, from /proc/self/status.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn resident_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/self/status")
    }

    /// A freed burst of small allocations with live ones among it stays
    /// resident under glibc (free returns pages only from the top of a
    /// heap) until trimmed: the trim takes the process's resident memory
    /// down by most of it, and leaves the live allocations alone.
    #[test]
    fn a_freed_burst_is_given_back() {
        let burst: Vec<Vec<u8>> = (0..20_000).map(|i| vec![(i % 251) as u8; 2048]).collect();
        // Every 16th block stays: 32 kB holes between them that free alone
        // never returns.
        let (keep, freed): (Vec<_>, Vec<_>) = burst
            .into_iter()
            .enumerate()
            .partition(|(i, _)| i % 16 == 0);
        drop(freed);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            let before = resident_kb();
            assert!(
                give_back(),
                "40 MB freed below a live allocation, nothing given back"
            );
            let after = resident_kb();
            // Other tests' threads run beside this one: half the burst is
            // the bar, not all of it.
            assert!(
                before.saturating_sub(after) >= 20_000,
                "resident {before} kB before the trim and {after} kB after: the freed 40 MB stayed"
            );
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        assert!(!give_back());
        assert!(
            keep.iter()
                .all(|(i, b)| b.len() == 2048 && b.iter().all(|&x| x == (i % 251) as u8)),
            "the live allocations are untouched"
        );
    }
}
