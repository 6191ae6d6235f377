//! The app package's one integration-test binary: the `muster` command line,
//! Muster's files read by other programs (`interop`), and (with the `e2e`
//! feature) end-to-end tests that drive the real window.

// A test may unwrap: a panic is a failed test with its message. clippy.toml
// allows it in test functions; the helpers of this test crate too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
#[cfg(feature = "e2e")]
mod e2e;
mod interop;

use std::path::Path;
use std::process::{Command, Output};

/// Runs the built `muster` binary with `args`, isolated from the real profile.
pub fn muster(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MUSTER_DATA_DIR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run muster: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
