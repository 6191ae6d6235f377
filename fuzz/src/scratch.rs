//! Scratch folders for the targets that read folders or keep a store: on
//! tmpfs when the machine has one (`/dev/shm`), so that the many small
//! writes of a run never reach a disk, else in the system's temporary
//! folder; `MUSTER_FUZZ_TMP` overrides both.
//!
//! libFuzzer ends a run with `exit`, so nothing is dropped at the end: each
//! process works in `muster-fuzz/<target>-<pid>`, and the folders of
//! processes that are gone are removed when the next one starts.

use std::fs;
use std::path::{Path, PathBuf};

/// The folder that holds every process's scratch folder.
pub fn base() -> PathBuf {
    let root = match std::env::var_os("MUSTER_FUZZ_TMP") {
        Some(dir) => PathBuf::from(dir),
        None if Path::new("/dev/shm").is_dir() => PathBuf::from("/dev/shm"),
        None => std::env::temp_dir(),
    };
    root.join("muster-fuzz")
}

/// This process's scratch folder for `target`, new and empty; the folders
/// left by earlier processes of `target` that are no longer running are
/// removed first.
pub fn process_dir(target: &str) -> PathBuf {
    let base = base();
    let prefix = format!("{target}-");
    if let Ok(entries) = fs::read_dir(&base) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.strip_prefix(&prefix) else {
                continue;
            };
            let gone = pid.parse::<u32>().is_ok_and(|pid| !running(pid));
            if gone {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = base.join(format!("{prefix}{}", std::process::id()));
    fresh(&dir);
    dir
}

/// Whether process `pid` is running (on Linux; elsewhere assumed so, and
/// nothing is removed).
fn running(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Makes `dir` an empty folder, whatever was in it.
pub fn fresh(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
    if let Err(e) = fs::create_dir_all(dir) {
        panic!("the scratch folder {} cannot be made: {e}", dir.display());
    }
}
