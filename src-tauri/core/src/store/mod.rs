//! SQLite storage: opening the database safely, embedded migrations applied
//! all-or-nothing, and transactions as closures. A database written by a newer
//! schema is refused before anything touches it.

mod decisions;
mod exercises;
pub mod history;
mod incidents;
mod plan_rows;
mod write;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::plan::edit::{self, PlanEdit};
use crate::plan::elements::{self, ChangeSet};
use crate::plan::Plan;
use crate::{search, starter};

pub use decisions::PROFILE_CONTACT;
pub use exercises::EXERCISES_DIR;
pub use history::{DiffEntry, DiffKind, FieldDiff, RevisionInfo};
pub use incidents::PostMortem;

/// The migrations, in order; migration `n` (1-based) brings the schema to version `n`.
/// Forward-only: a released migration is never edited, only followed by a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_plan.sql"),
    include_str!("migrations/0002_editor.sql"),
    include_str!("migrations/0003_minute_cadence.sql"),
    include_str!("migrations/0004_incidents.sql"),
    include_str!("migrations/0005_signing_keys.sql"),
    include_str!("migrations/0006_decisions.sql"),
    include_str!("migrations/0007_exercises.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "muster.sqlite3";

/// The author recorded on revisions when no profile name is set.
pub const DEFAULT_AUTHOR: &str = "Muster user";

/// The author of the first revision: the app itself put the starter plan there.
pub const SEED_AUTHOR: &str = "Muster";

/// An open Muster database. It keeps the current plan in memory (reloading it
/// when another process has committed since) so an edit costs only its own rows.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    cache: Option<(i64, Plan)>,
    author: String,
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
            cache: None,
            author: DEFAULT_AUTHOR.to_owned(),
        };
        if let Some(name) = store.setting("profile.name")? {
            store.author = name;
        }
        store.seed_if_empty(clock)?;
        store.backfill(clock)?;
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

    /// The connection, for read-only queries of other modules (search).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The stored plan.
    pub fn plan(&mut self) -> Result<Plan> {
        Ok(self.current()?.clone())
    }

    /// The current plan by reference, from the cache unless another
    /// connection committed since; for readers that need no copy.
    pub fn current(&mut self) -> Result<&Plan> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.cache.as_ref().is_none_or(|(v, _)| *v != version) {
            self.cache = Some((version, plan_rows::load(&self.conn)?));
        }
        match &self.cache {
            Some((_, plan)) => Ok(plan),
            None => Err(Error::Corrupt("the plan could not be cached".to_owned())),
        }
    }

    /// The name recorded as the author of revisions.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// Sets the local profile's name, used as the author of later revisions.
    pub fn set_profile_name(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Refused("a profile name cannot be empty".to_owned()));
        }
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES ('profile.name', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            [name],
        )?;
        name.clone_into(&mut self.author);
        Ok(())
    }

    /// Uses `name` as the author when no profile name has been set.
    pub fn default_author(&mut self, name: &str) -> Result<()> {
        if self.setting("profile.name")?.is_none() && !name.trim().is_empty() {
            name.trim().clone_into(&mut self.author);
        }
        Ok(())
    }

    /// A local setting (not part of the plan, never in its history).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        let value = self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(value)
    }

    /// Sets (or, with `None`, removes) a local setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                [key, v],
            )?,
            None => self
                .conn
                .execute("DELETE FROM setting WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Applies one edit as one revision. Refused, with nothing changed, when
    /// the result would not be a sound plan. `None` when it changed nothing.
    pub fn apply(&mut self, edit: &PlanEdit, clock: &dyn Clock) -> Result<Option<RevisionInfo>> {
        self.current()?;
        let Some((_, plan)) = self.cache.as_mut() else {
            return Err(Error::Corrupt("the plan is not loaded".to_owned()));
        };
        // The edit changes the cached plan in place; a refusal takes it back.
        let applied = edit::apply(plan, edit)?;
        let problems = crate::plan::validate(plan);
        if !problems.is_empty() {
            applied.changes.apply(plan, false)?;
            return Err(Error::InvalidPlan(problems));
        }
        if applied.changes.is_empty() {
            return Ok(None);
        }
        self.persist(&applied.changes, &applied.summary, false, clock)
            .map(Some)
    }

    /// Replaces the whole stored plan with `plan` as one revision, after
    /// checking it; a plan with problems is refused and nothing changes.
    pub fn replace_plan(
        &mut self,
        plan: &Plan,
        summary: &str,
        clock: &dyn Clock,
    ) -> Result<Option<RevisionInfo>> {
        let problems = crate::plan::validate(plan);
        if !problems.is_empty() {
            return Err(Error::InvalidPlan(problems));
        }
        let changes = elements::diff(self.current()?, plan, None);
        if changes.is_empty() {
            return Ok(None);
        }
        self.cache = Some((0, plan.clone()));
        self.persist(&changes, summary, true, clock).map(Some)
    }

    /// Writes `changes`, which made the cached plan what it is now, and their
    /// revision in one transaction, keeping the search index in step. With
    /// `whole`, every row is rewritten instead (a new or replaced plan). If
    /// the write fails, the cache is dropped so the next read reloads what
    /// the database really holds.
    fn persist(
        &mut self,
        changes: &ChangeSet,
        summary: &str,
        whole: bool,
        clock: &dyn Clock,
    ) -> Result<RevisionInfo> {
        let now = timestamp(clock);
        let author = self.author.clone();
        let Some((_, plan)) = self.cache.take() else {
            return Err(Error::Corrupt("the plan is not loaded".to_owned()));
        };
        let revision = self.with_tx(|tx| {
            tx.pragma_update(None, "defer_foreign_keys", true)?;
            if whole {
                write::clear(tx)?;
                write::write_all(tx, &plan, &now)?;
                search::rebuild(tx, &plan)?;
            } else {
                for c in &changes.elements {
                    write::write_element(tx, &plan, c.section, &c.key, &now)?;
                    search::reindex(tx, &plan, c.section, &c.key)?;
                }
                for o in &changes.orders {
                    write::write_positions(tx, &plan, o.section)?;
                }
            }
            history::record(tx, &now, &author, summary, changes)
        })?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        self.cache = Some((version, plan));
        Ok(revision)
    }

    /// The newest revisions first.
    pub fn revisions(&self, limit: usize) -> Result<Vec<RevisionInfo>> {
        history::list(&self.conn, limit)
    }

    /// The plan as it was right after revision `id`.
    pub fn plan_at(&mut self, id: i64) -> Result<Plan> {
        let current = self.current()?.clone();
        history::plan_at(&self.conn, &current, id)
    }

    /// What changed from revision `from` to revision `to`, element by element.
    pub fn diff_revisions(&mut self, from: i64, to: i64) -> Result<Vec<DiffEntry>> {
        let old = self.plan_at(from)?;
        let new = self.plan_at(to)?;
        Ok(history::readable_diff(&old, &new))
    }

    /// Makes the plan what it was at revision `id`, as a new revision.
    pub fn restore(&mut self, id: i64, clock: &dyn Clock) -> Result<Option<RevisionInfo>> {
        let target = self.plan_at(id)?;
        let info = history::info(&self.conn, id)?;
        let summary = format!("Restored revision {id} ({})", info.summary);
        self.replace_plan(&target, &summary, clock)
    }

    /// Undoes revision `id` as a new revision, if nothing it changed has been
    /// changed again since.
    pub fn undo(&mut self, id: i64, clock: &dyn Clock) -> Result<RevisionInfo> {
        let changes = history::changes(&self.conn, id)?;
        let info = history::info(&self.conn, id)?;
        self.current()?;
        let Some((_, plan)) = self.cache.as_mut() else {
            return Err(Error::Corrupt("the plan is not loaded".to_owned()));
        };
        history::undoable(plan, &changes)?;
        let undo = changes.inverted();
        undo.apply(plan, true)?;
        let problems = crate::plan::validate(plan);
        if !problems.is_empty() {
            undo.apply(plan, false)?;
            return Err(Error::InvalidPlan(problems));
        }
        let summary = format!("Undid: {}", info.summary);
        self.persist(&undo, &summary, false, clock)
    }

    fn seed_if_empty(&mut self, clock: &dyn Clock) -> Result<()> {
        let has_plan: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM plan_meta)", [], |r| r.get(0))?;
        if !has_plan {
            let today = clock.now().date_naive();
            let starter = starter::plan(today);
            let changes = elements::diff(&Plan::empty(), &starter, None);
            let summary = "Started from the built-in starter plan";
            self.cache = Some((0, starter));
            let author = std::mem::replace(&mut self.author, SEED_AUTHOR.to_owned());
            let seeded = self.persist(&changes, summary, true, clock);
            self.author = author;
            seeded?;
        }
        Ok(())
    }

    /// Gives a database from before the history and the search index existed
    /// a first revision and an index.
    fn backfill(&mut self, clock: &dyn Clock) -> Result<()> {
        let has_history: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM revision)", [], |r| r.get(0))?;
        if has_history && !search::is_empty(&self.conn)? {
            return Ok(());
        }
        let plan = self.current()?.clone();
        let now = timestamp(clock);
        let author = self.author.clone();
        self.with_tx(|tx| {
            if !has_history {
                let changes = elements::diff(&Plan::empty(), &plan, None);
                let summary = "The plan as it was before history was kept";
                history::record(tx, &now, &author, summary, &changes)?;
            }
            if search::is_empty(tx)? {
                search::rebuild(tx, &plan)?;
            }
            Ok(())
        })
    }
}

/// A read-only connection to the database at `path`, for work that must not
/// queue behind writes (search as you type). WAL lets it read while the store writes.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(e, path))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
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
