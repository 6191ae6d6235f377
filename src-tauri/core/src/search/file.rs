//! The search index's own file, beside the database (`<database>-search`).
//!
//! The index is derived data: everything in it is rebuilt from the plan.
//! Kept in the main file it more than doubled it (125 of a large plan's
//! 228 MB), and with it every backup and the check SQLite runs before
//! anything is written — SQLite 3.44 and later run FTS5's whole-index check
//! even in the quick check (0.9 s of a large plan's 1.2 s on open). Apart,
//! the main file's checks cover only what cannot be rebuilt.
//!
//! Commits to two files are not atomic together (WAL), so the index holds a
//! stamp: the id of the newest revision it reflects, written in the same
//! transaction as the index rows. A store opened for writing compares it
//! with the database's newest revision and rebuilds the index when they
//! differ — a crash between the two commits, a restored backup, a file
//! missing, damaged or marked damaged by the running app's full check.
//! Readers attach it read-only; a store that can only read (its folder or
//! disk is read-only) builds a private index in memory when the file is not
//! there or not current.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use crate::error::{Error, Result};

/// The schema name the index's file is attached under.
pub const SCHEMA: &str = "search";

/// The index's columns and options: migration 0002's, where it lived before.
macro_rules! index_columns {
    () => {
        "section UNINDEXED,
    element UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'"
    };
}

/// The index's table and its stamp, in the attached file.
const CREATE: &str = concat!(
    "CREATE VIRTUAL TABLE IF NOT EXISTS search.search_index USING fts5 (",
    index_columns!(),
    ");
CREATE TABLE IF NOT EXISTS search.stamp (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    revision INTEGER NOT NULL
);"
);

/// The same table in a connection's private TEMP schema, for a store that
/// cannot write the file (no stamp: it lives as long as the connection).
const CREATE_PRIVATE: &str = concat!(
    "CREATE VIRTUAL TABLE temp.search_index USING fts5 (",
    index_columns!(),
    ");"
);

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The index's file beside the database at `db`.
pub fn beside(db: &Path) -> PathBuf {
    with_suffix(db, "-search")
}

/// The mark the running app leaves when its full check finds the index
/// damaged: the next store opened for writing starts the index afresh.
pub fn damaged_mark(db: &Path) -> PathBuf {
    with_suffix(db, "-search.damaged")
}

/// Marks the index of the database at `db` damaged (see [`damaged_mark`]).
pub fn mark_damaged(db: &Path) -> Result<()> {
    let mark = damaged_mark(db);
    std::fs::write(&mark, b"The search index was found damaged; it is made afresh when Muster next opens the database.\n")
        .map_err(|source| Error::DatabaseFile { path: mark, source })
}

/// Removes the index's file with its `-wal`, `-shm` and `-journal`.
pub fn remove(db: &Path) {
    let file = beside(db);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(&file, suffix));
    }
}

/// `path` as the bytes SQLite takes for a file name: bound as a blob, so a
/// folder whose name is not UTF-8 is attached as it is named.
fn name(path: &Path) -> Vec<u8> {
    path.as_os_str().as_encoded_bytes().to_vec()
}

/// Whether SQLite said the file is damaged or not a database: then it is
/// made afresh. Any other failure (busy, no room, no permission) is said.
pub(crate) fn damaged(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Attaches the index's file to the writing connection `conn` of the
/// database at `db`: made when missing, and made afresh when it is damaged,
/// not a database, or marked damaged. What its stamp says (None: never
/// stamped, so not to be trusted).
pub fn attach_for_writing(conn: &Connection, db: &Path) -> Result<Option<i64>> {
    let mark = damaged_mark(db);
    if mark.exists() {
        eprintln!("muster: the search index was marked damaged; it is made afresh");
        remove(db);
        let _ = std::fs::remove_file(&mark);
    }
    let file = beside(db);
    match attach_writing(conn, &file) {
        Ok(stamp) => Ok(stamp),
        Err(e) if damaged(&e) => {
            eprintln!(
                "muster: the search index {} cannot be read ({e}); it is made afresh",
                file.display()
            );
            let _ = conn.execute("DETACH DATABASE search", []);
            remove(db);
            attach_writing(conn, &file).map_err(Error::from)
        }
        Err(e) => Err(e.into()),
    }
}

fn attach_writing(conn: &Connection, file: &Path) -> rusqlite::Result<Option<i64>> {
    if !file.exists() {
        // The writer's connection may not create files; an empty one is an
        // empty database.
        drop(Connection::open(file)?);
    }
    conn.execute("ATTACH DATABASE ?1 AS search", [name(file)])?;
    let stamp = (|| {
        let mode: String = conn.query_row("PRAGMA search.journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(Some(SCHEMA), "journal_mode", "DELETE")?;
        }
        // Derived data: a commit lost to a power cut is rebuilt, not missed.
        conn.pragma_update(Some(SCHEMA), "synchronous", "NORMAL")?;
        conn.execute_batch(CREATE)?;
        read_stamp(conn)
    })();
    if stamp.is_err() {
        let _ = conn.execute("DETACH DATABASE search", []);
    }
    stamp
}

fn read_stamp(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT revision FROM search.stamp WHERE one = 1", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Attaches the index's file of the database at `db` to a reader of a
/// store that writes: the writer made it when it opened and keeps it
/// current (see [`attach_for_writing`]).
pub fn attach_beside_writer(conn: &Connection, db: &Path) -> Result<()> {
    conn.execute("ATTACH DATABASE ?1 AS search", [name(&beside(db))])?;
    Ok(())
}

/// Attaches the index's file of the database at `db` to the read-only
/// connection `conn` of a store that cannot write, through a `file:` URI
/// with `mode` (`mode=ro` or `immutable=1`, as its database). Whether it is
/// there and reflects `newest` (the database's newest revision); when not,
/// nothing is left attached and the caller builds a private index
/// ([`create_private`]).
pub fn attach_for_reading(conn: &Connection, db: &Path, mode: &str, newest: i64) -> bool {
    let file = beside(db);
    if !file.exists() {
        return false;
    }
    let uri = format!("file:{}?{mode}", crate::store::uri_path(&file));
    let current = (|| {
        conn.execute("ATTACH DATABASE ?1 AS search", [uri.as_bytes()])?;
        Ok::<_, rusqlite::Error>(read_stamp(conn)? == Some(newest))
    })();
    if let Err(e) = &current {
        eprintln!(
            "muster: the search index {} cannot be read ({e}); a private one is built",
            file.display()
        );
    }
    if current.is_ok_and(|current| current) {
        return true;
    }
    let _ = conn.execute("DETACH DATABASE search", []);
    false
}

/// Makes an empty private index on `conn`, to be rebuilt from the plan.
pub fn create_private(conn: &Connection) -> Result<()> {
    conn.execute_batch(CREATE_PRIVATE)?;
    Ok(())
}

/// Stamps the index: it reflects revision `revision`. In the transaction
/// that wrote the index rows.
pub fn stamp(conn: &Connection, revision: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO search.stamp (one, revision) VALUES (1, ?1)
         ON CONFLICT (one) DO UPDATE SET revision = excluded.revision",
    )?
    .execute([revision])?;
    Ok(())
}

/// Whether `conn` has the index's file attached (not a private index).
pub fn attached(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_database_list WHERE name = 'search')",
        [],
        |r| r.get(0),
    )
    .unwrap_or(false)
}
