//! The search index in its own file beside the database: kept current by
//! every plan write, rebuilt on open whenever it is missing, damaged, marked
//! damaged or behind, never in a backup, and moved out of a database from
//! before (see `search::file`).

use std::path::Path;

use rusqlite::Connection;

use super::*;
use crate::search::{self, file};
use crate::testing::{at, temp};

fn ok<T>(result: Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn open(dir: &Path) -> Store {
    ok(Store::open_in(dir, &at("2026-03-01T09:30:00Z")))
}

/// The keys of what `typed` finds, through the store's own connection and
/// through a reader (what the window asks).
fn found(store: &Store, typed: &str) -> Vec<String> {
    let hits = ok(search::search(store.connection(), typed, 20));
    let reader = ok(store.reader());
    let read = ok(search::search(reader.connection(), typed, 20));
    assert_eq!(hits, read, "a reader finds what the writer finds");
    hits.into_iter().map(|h| h.element).collect()
}

/// Renames the starter plan's oracle issue to hold `word`.
fn rename_oracle(store: &mut Store, word: &str) {
    let plan = ok(store.current());
    let mut issue = plan
        .issues
        .iter()
        .find(|i| i.id.as_str() == "oracle-failure")
        .cloned()
        .unwrap_or_else(|| panic!("the starter plan has its oracle issue"));
    issue.title = format!("Oracle {word}");
    let edit = edit::PlanEdit::SaveIssue {
        issue,
        position: None,
    };
    ok(store.apply(&edit, &at("2026-03-01T10:00:00Z")));
}

fn tables(conn: &Connection, schema: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name"
        ))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_index_lives_beside_the_database_follows_every_save_and_no_backup_holds_it() {
    let dir = temp();
    let mut store = open(dir.path());
    let db = store.path().to_owned();
    assert!(file::beside(&db).exists());
    assert!(
        !tables(store.connection(), "main").contains(&"search_index".to_owned()),
        "the main file holds no search index"
    );
    assert!(found(&store, "oracle").contains(&"oracle-failure".to_owned()));

    rename_oracle(&mut store, "quetzalcoatl");
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);

    let copy = ok(store.backup_now(&at("2026-03-01T11:00:00Z")));
    let backup = Connection::open(&copy).unwrap();
    assert!(
        !tables(&backup, "main")
            .iter()
            .any(|t| t.starts_with("search_index")),
        "a backup holds only what cannot be rebuilt"
    );
}

#[test]
fn an_index_missing_damaged_marked_or_behind_is_rebuilt_on_open_and_the_database_untouched() {
    let dir = temp();
    let mut store = open(dir.path());
    let db = store.path().to_owned();
    rename_oracle(&mut store, "quetzalcoatl");
    drop(store);
    let main_before = std::fs::read(&db).unwrap();

    // Missing.
    file::remove(&db);
    let store = open(dir.path());
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    drop(store);

    // Not a database at all.
    file::remove(&db);
    std::fs::write(file::beside(&db), vec![0x5a; 8192]).unwrap();
    let store = open(dir.path());
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    drop(store);

    // Behind: a crash between the two commits left the index a save behind.
    {
        let conn = Connection::open(file::beside(&db)).unwrap();
        conn.execute_batch(
            "DELETE FROM search_index WHERE title LIKE '%quetzal%';
             UPDATE stamp SET revision = revision - 1;",
        )
        .unwrap();
    }
    let store = open(dir.path());
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    drop(store);

    // Marked damaged by the running app's full check.
    {
        let conn = Connection::open(file::beside(&db)).unwrap();
        conn.execute("DELETE FROM search_index WHERE title LIKE '%quetzal%'", [])
            .unwrap();
    }
    ok(file::mark_damaged(&db));
    let store = open(dir.path());
    assert!(!file::damaged_mark(&db).exists());
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    drop(store);

    // The database itself was never rewritten for any of it.
    let conn = Connection::open(&db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    assert_eq!(std::fs::read(&db).unwrap(), main_before);
}

#[test]
fn the_full_check_finds_a_damaged_index_marks_it_and_refuses_nothing() {
    let dir = temp();
    let store = open(dir.path());
    let db = store.path().to_owned();
    assert_eq!(ok(store.search_index_check()), None);
    drop(store);
    // The index's text changed under it (what a flipped bit inside its pages
    // leaves): its stamp still says current, so opening trusts it.
    {
        let conn = Connection::open(file::beside(&db)).unwrap();
        conn.execute(
            "UPDATE search_index_content SET c2 = 'tampered words'
             WHERE id = (SELECT min(id) FROM search_index_content)",
            [],
        )
        .unwrap();
    }

    let store = open(dir.path());
    let reader = ok(store.reader());
    let found = ok(reader.search_index_check());
    assert!(found.is_some(), "the damage is found");
    assert!(file::damaged_mark(&db).exists());
    assert_eq!(ok(reader.integrity_check()), None, "the database is sound");
    drop((reader, store));

    let store = open(dir.path());
    assert_eq!(ok(store.search_index_check()), None, "made afresh");
    assert!(found_oracle(&store));
}

fn found_oracle(store: &Store) -> bool {
    found(store, "oracle").contains(&"oracle-failure".to_owned())
}

#[test]
fn a_database_from_before_moves_its_index_out_and_gives_its_pages_back() {
    let dir = temp();
    let mut store = open(dir.path());
    let db = store.path().to_owned();
    let plan = ok(store.current());
    drop(store);
    // As Muster left it before: the index in the main file, at schema 15,
    // and large (as on a large plan, more than half the file).
    file::remove(&db);
    {
        let conn = Connection::open(&db).unwrap();
        let migration = include_str!("../migrations/0002_editor.sql");
        let start = migration.find("CREATE VIRTUAL TABLE search_index").unwrap();
        let len = migration[start..].find(");").unwrap();
        conn.execute_batch(&migration[start..start + len + 2])
            .unwrap();
        ok(search::rebuild(&conn, &plan));
        let padding = "ballast ".repeat(500);
        for n in 0..2000 {
            conn.execute(
                "INSERT INTO search_index (rowid, section, element, title, body)
                 VALUES (?1, 'issues', 'ballast', 'ballast', ?2)",
                rusqlite::params![n + 1, padding],
            )
            .unwrap();
        }
        conn.execute_batch("PRAGMA user_version = 15").unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let before = std::fs::metadata(&db).unwrap().len();

    let store = open(dir.path());
    assert!(!tables(store.connection(), "main").contains(&"search_index".to_owned()));
    assert!(found_oracle(&store));
    assert!(
        found(&store, "ballast").is_empty(),
        "rebuilt from the plan alone"
    );
    let free: i64 = store
        .connection()
        .query_row("PRAGMA main.freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0, "the index's pages were given back");
    drop(store);
    let conn = Connection::open(&db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let after = std::fs::metadata(&db).unwrap().len();
    assert!(after * 2 < before, "{before} → {after} bytes");
}

#[test]
fn a_store_that_only_reads_builds_a_private_index_when_the_file_is_missing() {
    let dir = temp();
    let mut store = open(dir.path());
    rename_oracle(&mut store, "quetzalcoatl");
    let db = store.path().to_owned();
    drop(store);
    file::remove(&db);
    let store = ok(Store::open_read_only(&db, "a test says so".into()));
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    assert!(!file::beside(&db).exists(), "nothing was written beside it");
}

#[cfg(unix)]
#[test]
fn a_data_folder_whose_name_is_not_utf8_keeps_its_index_beside_it() {
    use std::os::unix::ffi::OsStrExt;
    let root = temp();
    // Latin-1 bytes, as an old file system or a copied archive may name it.
    let dir = root
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9 \xff data"));
    let mut store = open(&dir);
    rename_oracle(&mut store, "quetzalcoatl");
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
    assert!(file::beside(store.path()).exists());
    let db = store.path().to_owned();
    drop(store);
    let store = ok(Store::open_read_only(&db, "a test says so".into()));
    assert_eq!(found(&store, "quetzal"), ["oracle-failure"]);
}
