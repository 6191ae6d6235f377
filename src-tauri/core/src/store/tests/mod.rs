//! Store tests: opening, migrations, the newer-schema refusal, damage, and the
//! plan's round trip through its tables.

use std::path::Path;

use chrono::{TimeZone, Utc};
use rusqlite::Connection;

use super::*;
use crate::clock::FixedClock;
use crate::plan::{id, Timing};

fn clock() -> FixedClock {
    FixedClock(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0)
            .single()
            .unwrap_or_default(),
    )
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_new_database_is_seeded_with_the_starter_plan() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let today = clock().now().date_naive();
    assert_eq!(store.plan()?, starter::plan(today));
    Ok(())
}

/// The outline read from the tables is the outline of the plan read whole,
/// on the starter plan and on a generated one with its core team reordered,
/// and asking for it reads (and caches) no plan.
#[test]
fn the_outline_from_the_tables_is_the_plans_outline_without_reading_the_plan() -> Result<()> {
    use crate::generate::{self, Size};
    use crate::plan::outline;
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let size = Size {
        issues: 40,
        procedures: 30,
        steps_per_procedure: 3,
        contacts: 25,
    };
    let mut generated = generate::plan(size, 11);
    // The outline lists the core team first, then the extended, each in its
    // own order.
    let moved = generated.core_team.remove(0);
    generated.core_team.push(moved);
    for plan in [store.plan()?, generated] {
        store.replace_plan(&plan, "Outline test", &clock())?;
        let reader = store.reader()?;
        let mut fresh = Store {
            cache: Arc::default(),
            ..reader
        };
        let read = fresh.outline()?;
        assert!(
            fresh.cache.lock().is_none(),
            "the outline read no plan into the cache"
        );
        assert_eq!(read, outline(&plan), "{}", plan.meta.name);
        // With the plan cached, the answer is the same.
        fresh.current()?;
        assert_eq!(fresh.outline()?, outline(&plan));
    }
    Ok(())
}

#[test]
fn every_connection_uses_wal_full_sync_and_foreign_keys() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let store = Store::open_in(dir.path(), &clock())?;
    let c = &store.conn;
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
    let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(
        (mode.as_str(), sync, fk, version),
        ("wal", 2, 1, SCHEMA_VERSION)
    );
    Ok(())
}

#[test]
fn reopening_keeps_the_stored_plan_and_does_not_reseed() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut plan = {
        let mut store = Store::open_in(dir.path(), &clock())?;
        store.plan()?
    };
    plan.meta.name = "Renamed plan".to_owned();
    plan.issues.truncate(2);
    plan.procedures
        .iter_mut()
        .for_each(|p| p.issues.retain(|i| plan.issues.iter().any(|x| &x.id == i)));
    {
        let mut store = Store::open_in(dir.path(), &clock())?;
        store.replace_plan(&plan, "test", &clock())?;
    }
    let mut store = Store::open_in(dir.path(), &clock())?;
    assert_eq!(store.plan()?, plan);
    Ok(())
}

#[test]
fn a_database_from_a_newer_schema_is_refused_and_left_byte_for_byte_untouched() -> Result<()> {
    for journal in ["DELETE", "WAL"] {
        let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
        let path = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&path)?;
            conn.pragma_update(None, "journal_mode", journal)?;
            conn.execute_batch("CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('keep me');")?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7)?;
        }
        let before = snapshot(dir.path());

        let error = Store::open(&path, &clock()).err();

        let message = error.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(error, Some(Error::DatabaseTooNew { found, supported, .. })
                if found == SCHEMA_VERSION + 7 && supported == SCHEMA_VERSION),
            "journal {journal}: {message}"
        );
        assert!(message.contains("newer Muster") && message.contains(&path.display().to_string()));
        assert_eq!(
            error.map(|e| e.code()),
            Some(crate::ErrorCode::DatabaseTooNew)
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "journal {journal}: files changed"
        );
    }
    Ok(())
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged_and_kept() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let path = dir.path().join(DB_FILE);
    let junk = b"these are my notes, not a database; ".repeat(10);
    std::fs::write(&path, &junk).map_err(|e| Error::Corrupt(e.to_string()))?;

    let error = Store::open(&path, &clock()).err();

    assert!(
        matches!(error, Some(Error::DatabaseDamaged { .. })),
        "{error:?}"
    );
    assert_eq!(std::fs::read(&path).ok(), Some(junk));
    Ok(())
}

#[test]
fn migrations_apply_all_or_nothing() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    let broken = [MIGRATIONS[0], "CREATE TABLE extra (x); THIS IS NOT SQL;"];

    let error = migrate(&mut conn, Path::new(":memory:"), &broken).err();

    assert!(
        matches!(&error, Some(Error::Corrupt(m)) if m.starts_with("migration 2 failed")),
        "{error:?}"
    );
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    assert_eq!((version, tables), (0, 0));
    Ok(())
}

#[test]
fn an_invalid_plan_is_refused_and_the_stored_one_kept() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let before = store.plan()?;
    let mut bad = before.clone();
    bad.issues[0].category = id("no-such-category");
    bad.communications[0].timing = Timing::EveryHours { hours: 0 };

    let error = store.replace_plan(&bad, "test", &clock()).err();

    let Some(Error::InvalidPlan(problems)) = error else {
        panic!("expected InvalidPlan, got {error:?}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(store.plan()?, before);
    Ok(())
}

#[test]
fn foreign_keys_stop_a_dangling_row_even_past_validation() -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut store = Store::open_in(dir.path(), &clock())?;
    let result = store.with_tx(|tx| {
        tx.execute(
            "INSERT INTO issue (id, position, category_id, title, description, signal, monitoring, source, severity)
             VALUES ('x', 99, 'missing', 't', '', '', 'manual', '', 'S1')",
            [],
        )?;
        Ok(())
    });
    assert!(matches!(result, Err(Error::Storage(_))), "{result:?}");
    Ok(())
}

mod alerts;
mod commands;
mod decisions;
mod exercises;
mod history;
mod incidents;
mod search_file;
mod team;
mod team_convergence;
mod team_plan;
mod team_roster;
mod updates;

/// Only a missing file means a new database: anything else that is not a
/// Muster database is refused, named, and left byte for byte as it was.
#[test]
fn an_empty_or_foreign_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE);
    let foreign = |sql: &str| {
        let _ = std::fs::remove_file(&db);
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        std::fs::read(&db).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", {
            std::fs::write(&db, b"").unwrap();
            Vec::new()
        }),
        (
            "foreign",
            foreign("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');"),
        ),
        (
            "negative version",
            foreign("CREATE TABLE t (x); PRAGMA user_version = -3;"),
        ),
        (
            "version 0, no tables",
            foreign("PRAGMA user_version = 0; VACUUM;"),
        ),
    ];
    for (what, bytes) in cases {
        std::fs::write(&db, &bytes).unwrap();
        let opened = Store::open_in(dir.path(), &clock());
        assert!(
            matches!(opened, Err(Error::DatabaseDamaged { .. })),
            "{what}: {opened:?}"
        );
        let message = opened.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("left untouched"), "{what}: {message}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            bytes,
            "{what}: the file changed"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [DB_FILE], "{what}: litter left beside it");
    }
}

/// Several processes opening a new data folder at once make one database,
/// seeded once, and leave nothing beside it.
#[test]
fn a_new_folder_opened_at_once_by_many_is_created_and_seeded_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let (data, start) = (data.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                Store::open_in(&data, &clock()).map(|_| ())
            })
        })
        .collect();
    for opener in openers {
        opener.join().unwrap().unwrap();
    }
    let store = Store::open_in(&data, &clock()).unwrap();
    assert_eq!(store.revisions(10).unwrap().len(), 1, "seeded once");
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    // The database and its search index, nothing left by the losers.
    assert_eq!(names, [DB_FILE, "muster.sqlite3-search"]);
}

#[test]
fn a_store_opened_for_reading_only_reads_whatever_its_folder_is_called_and_refuses_writes_saying_why(
) {
    let root = tempfile::tempdir().unwrap();
    // Characters an SQLite URI would otherwise read as its own syntax.
    let data = root.path().join("a?b#c%d e&f=g");
    let path = data.join(DB_FILE);
    drop(Store::open_in(&data, &clock()).unwrap());
    let before = snapshot(&data);

    let mut store = Store::open_read_only(&path, "the folder is on a CD".to_owned()).unwrap();
    assert_eq!(store.writes_off(), Some("the folder is on a CD"));
    assert!(!store.current().unwrap().issues.is_empty());
    let mut reader = store.reader().unwrap();
    assert!(!reader.current().unwrap().issues.is_empty());
    match store.set_setting("profile.name", Some("Ada")) {
        Err(Error::WritesOff(why)) => {
            assert!(
                why.contains("nothing was saved") && why.contains("on a CD"),
                "{why}"
            )
        }
        other => panic!("a write on a store that only reads: {other:?}"),
    }
    assert!(matches!(
        store.replace_plan(&Plan::empty(), "emptied", &clock()),
        Err(Error::WritesOff(_))
    ));
    drop((store, reader));
    assert_eq!(
        snapshot(&data),
        before,
        "nothing beside the database changed"
    );
}

#[test]
fn a_database_file_that_cannot_be_read_is_named_as_the_database_file_not_the_data_folder() {
    let root = tempfile::tempdir().unwrap();
    // A folder where the database file should be: it cannot be read as one.
    std::fs::create_dir(root.path().join(DB_FILE)).unwrap();
    let said = Store::open_in(root.path(), &clock())
        .unwrap_err()
        .to_string();
    assert!(
        said.starts_with("cannot read or write the database file ") && said.contains(DB_FILE),
        "{said}"
    );
    assert!(!said.contains("data folder"), "{said}");
}

#[test]
fn a_new_database_left_unfinished_by_a_killed_process_is_removed_once_it_is_old() {
    let root = tempfile::tempdir().unwrap();
    drop(Store::open_in(root.path(), &clock()).unwrap());
    let touch = |name: &str, age_secs: u64| {
        let path = root.path().join(name);
        std::fs::write(&path, b"half made").unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_secs);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    };
    touch(".muster.sqlite3.new-41-1", 3600);
    touch(".muster.sqlite3.new-41-1-wal", 3600);
    // One being made right now by another process, and files of others.
    touch(".muster.sqlite3.new-42-2", 1);
    touch("notes.txt", 3600);
    touch(".muster.sqlite3.newer", 3600);

    drop(Store::open_in(root.path(), &clock()).unwrap());
    let mut left: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("muster.sqlite3") && n != "backups")
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".muster.sqlite3.new-42-2",
            ".muster.sqlite3.newer",
            "notes.txt"
        ]
    );
}
