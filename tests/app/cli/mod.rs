//! The headless command line, run as a user would run it.

use std::path::Path;
use std::process::{Command, Output};

use muster_core::clock::SystemClock;
use muster_core::plan::SECTION_TITLES;
use muster_core::starter;
use muster_core::store::Store;

use super::{muster, text, today};

// ---- shared by the CLI test modules ------------------------------------------

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Runs `muster --data-dir DATA ARGS` with the local zone pinned to UTC, so
/// printed times do not depend on the machine.
fn muster_utc(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("MUSTER_DATA_DIR")
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("cannot run muster: {e}"))
}

/// [`muster_utc`], asserting success; its standard output.
fn ok(data: &Path, args: &[&str]) -> String {
    let out = muster_utc(data, args);
    assert!(
        out.status.success(),
        "muster {args:?} failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn store(data: &Path) -> Store {
    Store::open_in(data, &SystemClock).unwrap()
}

#[test]
fn version_prints_the_package_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = muster(dir.path(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        format!("muster {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn plan_show_on_a_new_data_folder_prints_all_seven_sections_of_the_starter_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");

    let out = muster(&data, &["plan", "show"]);

    let stdout = text(&out.stdout);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let plan = starter::plan(today());
    for (n, title) in SECTION_TITLES.iter().enumerate() {
        assert!(
            stdout.contains(&format!("{}. {title} (", n + 1)),
            "no section {title}:\n{stdout}"
        );
    }
    let mut ids: Vec<String> = Vec::new();
    ids.extend(plan.categories.iter().map(|c| c.id.to_string()));
    ids.extend(plan.issues.iter().map(|i| i.id.to_string()));
    ids.extend(plan.procedures.iter().map(|p| p.id.to_string()));
    ids.extend(
        plan.procedures
            .iter()
            .flat_map(|p| p.steps.iter().map(|s| s.id.to_string())),
    );
    ids.extend(plan.core_team.iter().map(|m| m.id.to_string()));
    ids.extend(plan.extended_team.iter().map(|c| c.id.to_string()));
    ids.extend(plan.communications.iter().map(|r| r.id.to_string()));
    ids.extend(plan.decisions.iter().map(|d| d.id.to_string()));
    for id in ids {
        assert!(
            stdout.contains(&format!("[{id}]")),
            "id {id} missing:\n{stdout}"
        );
    }
    assert!(data.join(muster_core::store::DB_FILE).is_file());
}

#[test]
fn plan_show_refuses_a_database_from_a_newer_muster_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(muster_core::store::DB_FILE);
    let mut bytes = vec![0u8; 4096];
    bytes[..16].copy_from_slice(b"SQLite format 3\0");
    bytes[60..64].copy_from_slice(&42i32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap();

    let out = muster(dir.path(), &["plan", "show"]);

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("newer Muster") && stderr.contains("schema version 42"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&db).ok(), Some(bytes));
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = muster(dir.path(), &["plan", "shwo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unrecognized subcommand 'shwo'"));
    assert!(
        !dir.path().join(muster_core::store::DB_FILE).exists(),
        "a usage error must not create a database"
    );
}

// Plan folders (plan as code): export, import, check, diff.

mod plan_folder;
mod setup;

// Exports people use (binder, calendar, contacts) and the contacts import.

mod exports;

// Incidents: declare, list, verify (and the tamper test), export.

mod incidents;

// Alerts from a script: `muster alert`.

mod alerts;

// One running app per data folder (the lock is checked before any window
// opens, so these play the running app themselves; the real thing is in
// e2e/background.rs).

mod instance;

// Live exercises (seeded through the store) and readiness.

mod exercises;

// The kill harness: SIGKILL at random moments while the command line writes
// (and while it seeds a new data folder); nothing acknowledged is lost and
// the database stays whole. `MUSTER_KILLS=600` for the full run.

#[cfg(unix)]
mod kill;

/// `muster backup` copies the database; `muster restore` puts a copy back
/// (incidents included), keeps the database it replaces, refuses what is
/// not a whole Muster database, and never runs under a running app.
#[test]
fn a_backup_made_by_hand_is_restored_and_the_replaced_database_kept() {
    let dir = temp();
    let data = dir.path();
    let declare = |title: &str| {
        ok(
            data,
            &[
                "incident",
                "declare",
                "--issue",
                "oracle-failure",
                "--severity",
                "S2",
                "--title",
                title,
            ],
        )
    };
    declare("Before the backup");
    let said = ok(data, &["backup"]);
    let path = said
        .trim()
        .strip_prefix("Backed up the database to ")
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned();
    let listed = ok(data, &["backup", "--list"]);
    assert!(
        listed.contains(&path) && listed.contains("made by hand"),
        "{listed}"
    );
    declare("After the backup");
    assert!(ok(data, &["incident", "list"]).contains("After the backup"));

    // Not while the app holds the data folder.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.join("muster.lock"))
        .unwrap();
    lock.lock().unwrap();
    let refused = muster_utc(data, &["restore", &path]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("quit it first"),
        "{}",
        text(&refused.stderr)
    );
    drop(lock);

    let done = ok(data, &["restore", &path]);
    assert!(
        done.contains("The database it replaced is kept as"),
        "{done}"
    );
    let incidents = ok(data, &["incident", "list"]);
    assert!(incidents.contains("Before the backup"), "{incidents}");
    assert!(!incidents.contains("After the backup"), "{incidents}");
    let kept = done
        .lines()
        .find_map(|l| l.strip_prefix("The database it replaced is kept as "))
        .unwrap()
        .trim()
        .to_owned();
    ok(data, &["restore", &kept]);
    assert!(ok(data, &["incident", "list"]).contains("After the backup"));

    // What is not a whole Muster database is refused, and nothing changes.
    let junk = data.join("junk.sqlite3");
    std::fs::write(&junk, b"SQLite format 3\0 but nothing after it").unwrap();
    let refused = muster_utc(data, &["restore", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("cannot be restored"),
        "{}",
        text(&refused.stderr)
    );
    assert!(ok(data, &["incident", "list"]).contains("After the backup"));
}

// A data folder on a read-only mount or a full disk: reading goes on, writes
// say why they are off (real mounts: these tests need root, as CI runs).

pub(crate) mod disks;
