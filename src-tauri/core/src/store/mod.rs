//! SQLite storage: opening the database safely, embedded migrations applied
//! all-or-nothing, and transactions as closures. A database written by a newer
//! schema is refused before anything touches it.

mod plan_rows;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::starter;

/// The migrations, in order; migration `n` (1-based) brings the schema to version `n`.
/// Forward-only: a released migration is never edited, only followed by a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_plan.sql"),
    include_str!("migrations/0002_editor.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "muster.sqlite3";

/// An open Muster database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`, brings its schema
    /// up to date and, when it holds no plan yet, seeds the starter plan.
    pub fn open_in(data_dir: &Path, clock: &dyn Clock) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::DataFolder {
            path: data_dir.to_owned(),
            source,
        })?;
        Store::open(&data_dir.join(DB_FILE), clock)
    }

    /// Opens (creating if needed) the database file at `path`; see [`Store::open_in`].
    pub fn open(path: &Path, clock: &dyn Clock) -> Result<Store> {
        check_header(path)?;
        let damaged = |e: rusqlite::Error| classify(e, path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(damaged)?;
        configure(&conn).map_err(damaged)?;
        migrate(&mut conn, path, MIGRATIONS)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.seed_if_empty(clock)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one IMMEDIATE transaction: everything it wrote commits
    /// together, or nothing does.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// The stored plan.
    pub fn plan(&self) -> Result<Plan> {
        plan_rows::load(&self.conn)
    }

    /// Replaces the whole stored plan with `plan` in one transaction, after
    /// checking it; a plan with problems is refused and nothing changes.
    pub fn replace_plan(&mut self, plan: &Plan, clock: &dyn Clock) -> Result<()> {
        let problems = crate::plan::validate(plan);
        if !problems.is_empty() {
            return Err(Error::InvalidPlan(problems));
        }
        let now = timestamp(clock);
        self.with_tx(|tx| plan_rows::replace(tx, plan, &now))
    }

    fn seed_if_empty(&mut self, clock: &dyn Clock) -> Result<()> {
        let has_plan: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM plan_meta)", [], |r| r.get(0))?;
        if !has_plan {
            let today = clock.now().date_naive();
            self.replace_plan(&starter::plan(today), clock)?;
        }
        Ok(())
    }
}

fn timestamp(clock: &dyn Clock) -> String {
    clock.now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Every connection: write-ahead log, full sync (a write reported as saved
/// survives a crash or power cut), foreign keys enforced.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some file systems cannot hold a WAL; rollback journal with FULL sync is still safe.
        conn.pragma_update(None, "journal_mode", "DELETE")?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// Reads the schema version straight from the file header (SQLite keeps
/// `user_version` at byte 60), so a database from a newer Muster is refused
/// without SQLite opening it for writing — not even to switch it to WAL.
fn check_header(path: &Path) -> Result<()> {
    let mut header = [0u8; 100];
    let read = match File::open(path) {
        Ok(mut file) => read_up_to(&mut file, &mut header),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::DataFolder {
                path: path.to_owned(),
                source,
            });
        }
    }
    .map_err(|source| Error::DataFolder {
        path: path.to_owned(),
        source,
    })?;
    if read == 0 {
        return Ok(()); // an empty file is a new database
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::DatabaseDamaged {
            path: path.to_owned(),
            detail: "the file does not start with an SQLite header".to_owned(),
        });
    }
    let found = i64::from(i32::from_be_bytes([
        header[60], header[61], header[62], header[63],
    ]));
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Applies the pending `migrations` in a single transaction. The version is
/// checked again inside it, in case another process upgraded the file since
/// the header was read.
fn migrate(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    let supported = migrations.len() as i64;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| classify(e, path))?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: path.to_owned(),
            found,
            supported,
        });
    }
    if found == supported {
        return Ok(());
    }
    for (index, sql) in migrations.iter().enumerate().skip(found.max(0) as usize) {
        tx.execute_batch(sql)
            .map_err(|e| Error::Corrupt(format!("migration {} failed: {e}", index + 1)))?;
    }
    tx.pragma_update(None, "user_version", supported)?;
    tx.commit()?;
    Ok(())
}

/// Maps SQLite's "this is not a database" family to a clear, located error.
fn classify(error: rusqlite::Error, path: &Path) -> Error {
    match error.sqlite_error_code() {
        Some(SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt) => Error::DatabaseDamaged {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        _ => Error::Storage(error),
    }
}

#[cfg(test)]
mod tests;
