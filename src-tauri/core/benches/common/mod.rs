//! What the store benches share: a throw-away data folder, the median and
//! 99th percentile of a set of timings, and quick mode.
//!
//! Quick mode (`MUSTER_BENCH_QUICK=1`, which the test command sets when it
//! runs every bench with `cargo test --benches`): small plans and a few runs,
//! so that each bench keeps working as the code changes. Its figures mean
//! nothing and nothing is judged on them.
#![allow(dead_code)] // each bench uses what it needs

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use muster_core::generate::Size;

/// Whether the benches run in quick mode (see above).
pub fn quick() -> bool {
    std::env::var_os("MUSTER_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The generated large plan: 10,000 issues, 10,000 procedures of 8 steps,
/// 5,000 contacts (in quick mode, 100, 100 and 50).
pub fn large() -> Size {
    let n = if quick() { 100 } else { 10_000 };
    Size {
        issues: n,
        procedures: n,
        steps_per_procedure: 8,
        contacts: n / 2,
    }
}

/// `n` runs, or 5 in quick mode.
pub fn runs(n: usize) -> usize {
    if quick() {
        n.min(5)
    } else {
        n
    }
}

pub type BenchResult = Result<(), Box<dyn std::error::Error>>;

/// Runs `measure` on a fresh data folder in the temp directory (removed
/// afterwards, pass or fail) and turns its error into a message and exit 1.
pub fn run_in_temp(name: &str, measure: impl FnOnce(&Path) -> BenchResult) -> ExitCode {
    let dir = std::env::temp_dir().join(format!("muster-{name}-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = measure(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name} bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// "n=200   p50    0.920 ms   p99    1.880 ms", then `suffix`.
pub fn percentiles(name: &str, mut times: Vec<Duration>, suffix: &str) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<40} n={:<5} p50 {:>8.3} ms   p99 {:>8.3} ms{suffix}",
        times.len(),
        ms(at(0.50)),
        ms(at(0.99))
    );
}
