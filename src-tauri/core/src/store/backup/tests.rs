//! Backups made, listed, pruned and restored; a damaged database refused on
//! open, left untouched, with the latest good backup named.

use std::path::Path;

use super::*;
use crate::testing::{at, temp};

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn open(dir: &Path) -> Store {
    ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")))
}

fn incidents(store: &mut Store) -> usize {
    ok(store.incidents()).len()
}

fn declare(store: &mut Store, when: &str) {
    use crate::incident::model::Declaration;
    use crate::plan::{id, Severity};
    let declaration = Declaration {
        issue: Some(id("oracle-failure")),
        category: None,
        title: None,
        severity: Severity::S2,
        exercise: false,
        description: String::new(),
        lead: None,
        scribe: None,
        communications: None,
    };
    ok(store.declare_incident(&declaration, &at(when)));
}

#[test]
fn a_daily_backup_is_made_once_a_day_and_old_ones_go() {
    let dir = temp();
    let store = open(dir.path());
    let first = ok(store.daily_backup(&at("2026-03-01T10:00:00Z")));
    assert!(first.is_some());
    assert_eq!(
        ok(store.daily_backup(&at("2026-03-01T23:00:00Z"))),
        None,
        "once a day"
    );
    ok(store.daily_backup(&at("2026-03-10T08:00:00Z")));
    ok(store.daily_backup(&at("2026-03-16T08:00:00Z")));
    let kept: Vec<String> = ok(list(&backups_dir(store.path())))
        .into_iter()
        .filter(|b| b.kind == BackupKind::Daily)
        .map(|b| {
            Path::new(&b.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // The 1 March copy is more than 14 days older than 16 March.
    let mut kept = kept;
    kept.sort();
    assert_eq!(
        kept,
        ["daily-2026-03-10.sqlite3", "daily-2026-03-16.sqlite3"]
    );
    for b in ok(list(&backups_dir(store.path()))) {
        assert_eq!(check_copy(Path::new(&b.path)), None, "{}", b.path);
    }
}

#[test]
fn a_restore_puts_back_incidents_and_keeps_the_file_it_replaces() {
    let dir = temp();
    let mut store = open(dir.path());
    declare(&mut store, "2026-03-01T10:00:00Z");
    let backup = ok(store.backup_now(&at("2026-03-01T10:05:00Z")));
    declare(&mut store, "2026-03-01T11:00:00Z");
    assert_eq!(incidents(&mut store), 2);
    drop(store);

    let restored = ok(restore(dir.path(), &backup, &at("2026-03-01T12:00:00Z")));
    let kept = restored.kept.clone().unwrap();
    let mut store = open(dir.path());
    assert_eq!(incidents(&mut store), 1, "the backup's state is back");
    drop(store);
    // And the replaced database, with both incidents, is one restore away.
    ok(restore(
        dir.path(),
        Path::new(&kept),
        &at("2026-03-01T12:30:00Z"),
    ));
    let mut store = open(dir.path());
    assert_eq!(incidents(&mut store), 2);
}

#[test]
fn what_is_not_a_whole_muster_database_is_never_restored() {
    let dir = temp();
    let mut store = open(dir.path());
    declare(&mut store, "2026-03-01T10:00:00Z");
    drop(store);
    let db = dir.path().join(DB_FILE);
    let before = std::fs::read(&db).unwrap();
    let junk = dir.path().join("junk.sqlite3");
    for content in [
        &b""[..],
        b"not a database at all, just text",
        &before[..200],
    ] {
        std::fs::write(&junk, content).unwrap();
        let refused = restore(dir.path(), &junk, &at("2026-03-01T12:00:00Z"));
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.to_string().contains("cannot be restored")),
            "{refused:?}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "the database changed");
    }
}

/// Flips bytes in the middle of the database's pages (not the header).
fn damage(db: &Path) {
    let mut bytes = std::fs::read(db).unwrap();
    let page = 4096;
    for p in 1..bytes.len() / page {
        for i in (p * page + 100..p * page + 300).step_by(7) {
            bytes[i] ^= 0x5a;
        }
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_refused_on_open_left_untouched_and_the_latest_good_backup_named() {
    let dir = temp();
    let mut store = open(dir.path());
    declare(&mut store, "2026-03-01T10:00:00Z");
    let backup = ok(store.daily_backup(&at("2026-03-01T10:05:00Z"))).unwrap();
    // Everything in the main file, so the damage is all there is.
    store
        .connection()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(store);
    let db = dir.path().join(DB_FILE);
    damage(&db);
    let damaged = std::fs::read(&db).unwrap();
    let opened = Store::open_in(dir.path(), &at("2026-03-02T09:00:00Z"));
    let Err(error) = opened else {
        panic!("a damaged database opened");
    };
    let said = error.to_string();
    assert_eq!(
        error.code(),
        crate::error::ErrorCode::DatabaseDamaged,
        "{said}"
    );
    assert!(
        said.contains("SQLite's check found") || said.contains("malformed"),
        "{said}"
    );
    assert!(
        said.contains(&format!("`muster restore {}`", backup.display())),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        damaged,
        "the damaged file was written to"
    );

    // The restore named brings the database back, and keeps the damaged one.
    let restored = ok(restore(dir.path(), &backup, &at("2026-03-02T09:05:00Z")));
    assert_eq!(std::fs::read(restored.kept.unwrap()).unwrap(), damaged);
    let mut store = open(dir.path());
    assert_eq!(incidents(&mut store), 1);
}

#[test]
fn a_migration_is_preceded_by_a_backup() {
    let dir = temp();
    let store = open(dir.path());
    let db = store.path().to_owned();
    drop(store);
    // Back to schema 8: as an older Muster left it.
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "ALTER TABLE incident DROP COLUMN folded;
             ALTER TABLE incident DROP COLUMN folded_head;
             DROP TABLE alert_delivery;
             DROP TABLE command_trust;
             ALTER TABLE step DROP COLUMN command;
             ALTER TABLE step DROP COLUMN automatable;
             ALTER TABLE issue DROP COLUMN alerts;
             DROP INDEX team_event_heads;
             DROP TABLE decision_closed;
             ALTER TABLE escalation_rule DROP COLUMN page_after_minutes;
             DROP TABLE plan_conflict;
             ALTER TABLE team_event DROP COLUMN parents;
             DROP TABLE roster_taken;
             DROP TABLE roster_entry;
             DROP TABLE roster_pin;
             ALTER TABLE decision DROP COLUMN roster_version;
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let _store = open(dir.path());
    let before: Vec<BackupInfo> = ok(list(&backups_dir(&db)))
        .into_iter()
        .filter(|b| b.kind == BackupKind::BeforeMigration)
        .collect();
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(before[0]
        .path
        .contains(&format!("before-v{SCHEMA_VERSION}-")));
    let conn = Connection::open(&before[0].path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version, 8,
        "the copy is of the database before the migration"
    );
}

#[test]
fn a_row_damaged_past_the_check_reads_as_damage_with_what_to_do() {
    let dir = temp();
    let mut store = open(dir.path());
    declare(&mut store, "2026-03-01T10:00:00Z");
    // Bytes that are not UTF-8 where text was written: what a flipped bit in
    // a row leaves, which SQLite's quick check does not look at.
    store
        .connection()
        .execute("UPDATE incident SET title = CAST(x'ff41fe' AS TEXT)", [])
        .unwrap();
    let read = store.incidents();
    let Err(error) = read else {
        panic!("a damaged row was read as if whole");
    };
    assert_eq!(error.code(), crate::error::ErrorCode::DatabaseDamaged);
    let said = error.to_string();
    assert!(said.contains("the database is damaged"), "{said}");
    assert!(said.contains("muster restore"), "{said}");
}
