//! A data folder Muster cannot write — on a read-only mount, or on a disk
//! with no room left — is still read, with why writes are off said on every
//! command; a write is refused with that reason and changes nothing; no
//! `-wal` or `-shm` is left beside the database. Real mounts (a read-only
//! bind mount, a small tmpfs filled up), so these run as root, as CI does.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{muster_utc, ok, temp, text};

/// A mount that is undone when the test ends, even when it fails.
pub(crate) struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Runs `mount ARGS`, saying what failed.
pub(crate) fn mount(args: &[&str], at: &Path) -> Mounted {
    let out = Command::new("mount").args(args).arg(at).output().unwrap();
    assert!(
        out.status.success(),
        "mount {args:?} {}: {}",
        at.display(),
        text(&out.stderr)
    );
    Mounted(at.to_owned())
}

/// `data` seen read-only at `view` (a bind mount remounted read-only).
pub(crate) fn read_only_view(data: &Path, view: &Path) -> Mounted {
    let bind = mount(&["--bind", data.to_str().unwrap()], view);
    // The same mount made read-only (undone once, by the bind's guard).
    std::mem::forget(mount(&["-o", "remount,bind,ro"], view));
    bind
}

/// Whether this process may mount (root); these tests say so and stop
/// otherwise, since nothing else makes a real read-only or full disk.
pub(crate) fn may_mount() -> bool {
    let uid = Command::new("id").arg("-u").output().unwrap();
    let root = text(&uid.stdout).trim() == "0";
    if !root {
        eprintln!("skipped: a real read-only or full mount needs root");
    }
    root
}

/// SQLite's files beside the database, which a reading-only run must not leave.
fn sidecars(data: &Path) -> Vec<String> {
    ["muster.sqlite3-wal", "muster.sqlite3-shm"]
        .into_iter()
        .filter(|n| data.join(n).exists())
        .map(str::to_owned)
        .collect()
}

/// A data folder with the starter plan and one declared incident.
pub(crate) fn folder_with_an_incident(data: &Path) {
    ok(
        data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
}

/// A write that must be refused, and what it said.
fn refused_write(data: &Path) -> String {
    let out = muster_utc(
        data,
        &[
            "incident",
            "declare",
            "--issue",
            "protocol-ddos",
            "--severity",
            "S2",
        ],
    );
    assert!(!out.status.success(), "a write went through");
    text(&out.stderr)
}

/// Every command that only reads works on `data` (writing its output
/// under `out`, which can be written).
fn every_read_works(data: &Path, out: &Path) {
    let exported = out.join("exported-plan");
    let binder = out.join("binder.md");
    let calendar = out.join("plan.ics");
    let timeline = out.join("timeline.md");
    let contacts = out.join("contacts.csv");
    let commands: Vec<Vec<&str>> = vec![
        vec!["plan", "export", exported.to_str().unwrap()],
        vec!["plan", "diff", exported.to_str().unwrap()],
        vec!["plan", "binder", "--out", binder.to_str().unwrap()],
        vec!["plan", "calendar", "--out", calendar.to_str().unwrap()],
        vec!["incident", "list", "--all"],
        vec![
            "incident",
            "export",
            "INC-1",
            "--format",
            "markdown",
            "--out",
            timeline.to_str().unwrap(),
        ],
        vec![
            "contacts",
            "export",
            "--format",
            "csv",
            "--out",
            contacts.to_str().unwrap(),
        ],
        vec!["exercise", "list"],
        vec!["readiness"],
        vec!["team", "status"],
        vec!["team", "conflicts"],
        vec!["roster", "show"],
        vec!["backup", "--list"],
    ];
    for args in commands {
        let out = muster_utc(data, &args);
        assert!(
            out.status.success(),
            "muster {args:?} on a folder that only reads: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_data_folder_on_a_read_only_mount_is_read_and_writes_say_why_they_are_off() {
    if !may_mount() {
        return;
    }
    let root = temp();
    let data = root.path().join("data");
    folder_with_an_incident(&data);
    let before = std::fs::read(data.join("muster.sqlite3")).unwrap();
    let view = root.path().join("read-only");
    std::fs::create_dir(&view).unwrap();
    let _bind = read_only_view(&data, &view);

    let shown = muster_utc(&view, &["plan", "show"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert!(text(&shown.stdout).contains("Stolen user funds"));
    assert!(
        text(&shown.stderr).contains("reading only, writes are off")
            && text(&shown.stderr).contains("Read-only file system"),
        "{}",
        text(&shown.stderr)
    );
    assert!(ok(&view, &["incident", "list"]).contains("INC-1"));
    assert!(ok(&view, &["incident", "verify", "INC-1"]).contains("intact"));
    every_read_works(&view, root.path());

    let said = refused_write(&view);
    assert!(
        said.contains("nothing was saved") && said.contains("Read-only file system"),
        "{said}"
    );
    assert_eq!(sidecars(&data), Vec::<String>::new());
    assert_eq!(std::fs::read(data.join("muster.sqlite3")).unwrap(), before);
}

#[test]
fn a_data_folder_on_a_full_disk_is_read_and_writes_say_the_disk_is_full_until_room_is_made() {
    if !may_mount() {
        return;
    }
    let root = temp();
    let disk = root.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let _tmpfs = mount(&["-t", "tmpfs", "-o", "size=24m", "tmpfs"], &disk);
    let data = disk.join("data");
    folder_with_an_incident(&data);
    // A store opened while there was room, as the running app's is.
    let mut open_before = super::store(&data);
    // Fill the disk to the last byte.
    let filler = disk.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    while file.write(&[0u8]).is_ok_and(|n| n == 1) {}
    drop(file);
    let before = std::fs::read(data.join("muster.sqlite3")).unwrap();

    let shown = muster_utc(&data, &["plan", "show"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert!(
        text(&shown.stderr).contains("is full"),
        "{}",
        text(&shown.stderr)
    );
    assert!(ok(&data, &["incident", "list"]).contains("INC-1"));
    let said = refused_write(&data);
    assert!(
        said.contains("nothing was saved") && said.contains("is full") && said.contains("free"),
        "{said}"
    );

    // The store opened before the disk filled: its write is refused as
    // the disk being full, and it still reads.
    let big = "x".repeat(512 * 1024);
    match open_before.set_setting("filler", Some(&big)) {
        Err(muster_core::Error::WritesOff(said)) => {
            assert!(
                said.contains("is full") && said.contains("nothing was saved"),
                "{said}"
            );
        }
        other => panic!("a write on a full disk: {other:?}"),
    }
    assert!(open_before.incidents().unwrap().len() == 1);
    drop(open_before);
    assert!(ok(&data, &["incident", "list"]).contains("INC-1"));
    assert_eq!(sidecars(&data), Vec::<String>::new());
    assert_eq!(std::fs::read(data.join("muster.sqlite3")).unwrap(), before);

    // Room made: writing works again, and the incident is there.
    std::fs::remove_file(&filler).unwrap();
    let declared = ok(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "protocol-ddos",
            "--severity",
            "S2",
        ],
    );
    assert!(declared.starts_with("INC-2"), "{declared}");
}
