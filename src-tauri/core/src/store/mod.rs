//! SQLite storage: opening the database safely, embedded migrations applied
//! all-or-nothing, and transactions as closures. A database written by a newer
//! schema is refused before anything touches it.

mod alerts;
pub mod backup;
pub mod changes;
mod commands;
mod decisions;
mod exercises;
pub mod history;
mod incidents;
mod plan_rows;
mod team;
mod updates;
mod write;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::SecondsFormat;
use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, Transaction, TransactionBehavior};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::plan::edit::{self, PlanEdit};
use crate::plan::elements::{self, ChangeSet};
use crate::plan::{Plan, Section};
use crate::{search, starter};

pub use alerts::ReceiverSettings;
pub use changes::Changes;
pub use commands::{CommandRun, CommandStatus};
pub(crate) use decisions::key_owner;
pub use decisions::PROFILE_CONTACT;
pub use exercises::EXERCISES_DIR;
pub use history::{DiffEntry, DiffKind, FieldDiff, RevisionInfo};
pub use incidents::{PostMortem, ACKNOWLEDGED};
pub use team::roster::{
    QuorumChange, RosterAsideView, RosterChange, RosterVersionView, RosterView,
};
pub use team::{
    incident_thread, Heard, Intake, TeamProfile, TeamStatus, ThreadCheck, INCIDENT_EVENT,
    TEAM_DEVICE, TEAM_FOLDER,
};

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
    include_str!("migrations/0008_team.sql"),
    include_str!("migrations/0009_paging.sql"),
    include_str!("migrations/0010_plan_conflicts.sql"),
    include_str!("migrations/0011_roster.sql"),
    include_str!("migrations/0012_decision_closed.sql"),
    include_str!("migrations/0013_team_heads.sql"),
    include_str!("migrations/0014_alerts.sql"),
    include_str!("migrations/0015_incident_folded.sql"),
    include_str!("migrations/0016_search_apart.sql"),
];

/// The schema version that moved the search index to a file of its own
/// (see `search::file`).
const SEARCH_APART: i64 = 16;

/// After the search index left the main file, gives its pages back to the
/// disk when they are a quarter of the file or more (on a large plan, more
/// than half of it): once, at the migration, so backups and checks do not
/// carry them.
fn reclaim(conn: &Connection) -> rusqlite::Result<()> {
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    if free > 0 && free * 4 >= pages {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "muster.sqlite3";

/// The author recorded on revisions when no profile name is set.
pub const DEFAULT_AUTHOR: &str = "Muster user";

/// The author of the first revision: the app itself put the starter plan there.
pub const SEED_AUTHOR: &str = "Muster";

/// An open Muster database: the one writing connection of a process, or a
/// read-only one from [`Store::reader`]. It keeps the current plan in memory,
/// shared with its readers and keyed by the newest revision, so an edit costs
/// only its own rows and a read never copies the plan.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    cache: Arc<PlanCache>,
    author: String,
    /// What committed writes changed; none on a reader.
    tracker: Option<changes::Tracker>,
    /// Set when the database could only be opened for reading (its folder
    /// or disk is read-only, or the disk is full): why, and how it is read.
    read_only: Option<ReadOnly>,
}

/// Why a store only reads, and how its file is opened.
#[derive(Debug, Clone)]
struct ReadOnly {
    why: String,
    /// Opened as immutable (no `-wal` to fold in): SQLite then makes no
    /// `-shm` beside it, which a read-only folder could not hold.
    immutable: bool,
}

/// The current plan, shared by a store and its readers, with the revision it
/// is the plan of. Sound because every plan write records a revision in its
/// transaction ("every save is a revision"): a process that wrote plan rows
/// without one would not be seen until the next revision. The second lock
/// is held while one connection reads the plan from its rows (a quarter
/// second on a large plan): two asking at once read it once, the second
/// taking it from the cache, and the slot itself is never held meanwhile, so
/// a question that needs no plan (the outline, at a launch) does not wait
/// behind the read.
#[derive(Debug, Default)]
struct PlanCache(Mutex<Option<(i64, Arc<Plan>)>>, Mutex<()>);

impl PlanCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(i64, Arc<Plan>)>> {
        // The cache holds no invariant a panic could break: take it anyway.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The plan as `conn` sees it now: from the cache when it is of the
    /// newest revision `conn` sees, else read from the rows (and kept).
    fn get(&self, conn: &Connection) -> Result<Arc<Plan>> {
        let version = plan_version(conn)?;
        if let Some(plan) = self.at(version) {
            return Ok(plan);
        }
        let _reading = self.1.lock().unwrap_or_else(|p| p.into_inner());
        // Read by another connection while this one waited?
        if let Some(plan) = self.at(version) {
            return Ok(plan);
        }
        let plan = Arc::new(plan_rows::load(conn)?);
        let mut slot = self.lock();
        if slot.as_ref().is_none_or(|(v, _)| *v < version) {
            *slot = Some((version, plan.clone()));
        }
        Ok(plan)
    }

    /// The cached plan, if it is the plan of `version`.
    fn at(&self, version: i64) -> Option<Arc<Plan>> {
        match self.lock().as_ref() {
            Some((v, plan)) if *v == version => Some(plan.clone()),
            _ => None,
        }
    }

    /// Takes the plan out to change it in place (no copy unless a reader
    /// holds it at this moment); [`PlanCache::put`] puts it back.
    fn take(&self, conn: &Connection) -> Result<(i64, Plan)> {
        let version = plan_version(conn)?;
        let cached = self.lock().take();
        let plan = match cached {
            Some((v, plan)) if v == version => {
                Arc::try_unwrap(plan).unwrap_or_else(|shared| (*shared).clone())
            }
            _ => plan_rows::load(conn)?,
        };
        Ok((version, plan))
    }

    fn put(&self, version: i64, plan: Plan) {
        let mut slot = self.lock();
        if slot.as_ref().is_none_or(|(v, _)| *v <= version) {
            *slot = Some((version, Arc::new(plan)));
        }
    }
}

/// The plan's version as `conn` sees it: the newest revision's id.
fn plan_version(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM revision", [], |r| {
            r.get(0)
        })?,
    )
}

/// What a change to the plan made of it: the change set, its summary, and
/// whether every row is to be rewritten (a replaced plan).
struct PlanChange {
    changes: ChangeSet,
    summary: String,
    whole: bool,
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

    /// Opens the database file at `path`; see [`Store::open_in`]. Only a
    /// missing file means a new database, which is made whole beside it and
    /// moved into place at once, so no process ever sees it half made. An
    /// existing file that is not a Muster database — empty, another
    /// program's SQLite file, a negative schema version — is refused and
    /// left exactly as it was.
    pub fn open(path: &Path, clock: &dyn Clock) -> Result<Store> {
        Store::open_checked(path, clock).map_err(|e| match e {
            Error::DatabaseDamaged { path, detail } => {
                let detail = format!("{detail}{}", restore_hint(&path));
                Error::DatabaseDamaged { path, detail }
            }
            other => other,
        })
    }

    fn open_checked(path: &Path, clock: &dyn Clock) -> Result<Store> {
        let unwritable = why_unwritable(path);
        if !path.exists() {
            if let Some(why) = unwritable {
                return Err(Error::WritesOff(format!(
                    "there is no database at {} yet, and one cannot be made: {why}",
                    path.display()
                )));
            }
            create(path, clock)?;
        } else if unwritable.is_none() {
            sweep_unfinished(path);
        }
        check_header(path)?;
        if let Some(why) = unwritable {
            return Store::open_read_only(path, why);
        }
        let damaged = |e: rusqlite::Error| classify(e, path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(damaged)?;
        // Before anything writes to it (even the switch to WAL).
        check_muster(&conn, path)?;
        check_whole(&conn, path)?;
        configure(&conn).map_err(damaged)?;
        backup_before_migrating(&conn, path, clock)?;
        let was: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(damaged)?;
        migrate(&mut conn, path, MIGRATIONS)?;
        if (2..SEARCH_APART).contains(&was) {
            reclaim(&conn).map_err(damaged)?;
        }
        Store::ready(conn, path, clock)
    }

    /// Opens the database at `path` for reading only, `why` writing is not
    /// possible: checked as a writable one is, but nothing is written — no
    /// WAL switch, no migration, no seeding — and no `-wal` or `-shm` is
    /// left beside it. Every write through it is refused with `why`.
    fn open_read_only(path: &Path, why: String) -> Result<Store> {
        let immutable = immutable(path);
        let conn = open_read_only_connection(path, immutable)?;
        check_muster(&conn, path)?;
        check_whole(&conn, path)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(e, path))?;
        if found < SCHEMA_VERSION {
            return Err(Error::WritesOff(format!(
                "the database {} was saved by an earlier Muster and must be brought up to date before this one can read it, which writes to it; but {why}",
                path.display()
            )));
        }
        let mut store = Store {
            conn,
            path: path.to_owned(),
            cache: Arc::default(),
            author: DEFAULT_AUTHOR.to_owned(),
            tracker: None,
            read_only: Some(ReadOnly { why, immutable }),
        };
        if let Some(name) = store.setting("profile.name")? {
            store.author = name;
        }
        store.search_for_reading_only()?;
        store.conn.pragma_update(None, "query_only", true)?;
        Ok(store)
    }

    /// Why nothing can be written through this store, when it only reads
    /// because its folder or disk is read-only or full.
    pub fn writes_off(&self) -> Option<&str> {
        self.read_only.as_ref().map(|r| r.why.as_str())
    }

    /// Refuses a write, with why, on a store opened only for reading.
    fn writable(&self) -> Result<()> {
        match &self.read_only {
            None => Ok(()),
            Some(r) => Err(Error::WritesOff(format!(
                "nothing was saved: {}. Reading works",
                r.why
            ))),
        }
    }

    /// The store on `conn`, migrated: the profile's name read, the plan
    /// seeded when there is none, history and index back-filled.
    fn ready(conn: Connection, path: &Path, clock: &dyn Clock) -> Result<Store> {
        let stamp = search::file::attach_for_writing(&conn, path)?;
        let tracker = changes::Tracker::install(&conn);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            cache: Arc::default(),
            author: DEFAULT_AUTHOR.to_owned(),
            tracker: Some(tracker),
            read_only: None,
        };
        if let Some(name) = store.setting("profile.name")? {
            store.author = name;
        }
        store.seed_if_empty(clock)?;
        store.backfill(clock)?;
        store.index_up_to_date(stamp)?;
        // Opening is not a change anyone needs to hear of.
        store.take_changes();
        Ok(store)
    }

    /// A read-only store on the same database, sharing this one's plan
    /// cache: its reads run beside this store's writes (WAL) and never wait
    /// for them. Writing through it fails.
    pub fn reader(&self) -> Result<Store> {
        let conn = match &self.read_only {
            None => open_reader(&self.path)?,
            Some(r) => open_read_only_connection(&self.path, r.immutable)?,
        };
        let mut store = Store {
            conn,
            path: self.path.clone(),
            cache: self.cache.clone(),
            author: self.author.clone(),
            tracker: None,
            read_only: self.read_only.clone(),
        };
        if store.read_only.is_some() {
            store.search_for_reading_only()?;
        }
        store.conn.pragma_update(None, "query_only", true)?;
        Ok(store)
    }

    /// Rebuilds the search index when its stamp is not `newest` revision's
    /// (see `search::file`): its file was missing, damaged, or left behind
    /// by a crash between the two files' commits or by a restore.
    fn index_up_to_date(&mut self, stamp: Option<i64>) -> Result<()> {
        let newest = self.newest_revision()?;
        if stamp == Some(newest) {
            return Ok(());
        }
        let plan = self.current()?;
        self.with_tx(|tx| {
            search::rebuild(tx, &plan)?;
            search::file::stamp(tx, newest)
        })
    }

    /// The id of the newest revision, 0 before the first.
    fn newest_revision(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM main.revision", [], |r| {
                r.get(0)
            })?)
    }

    /// On a store that only reads: the index's file attached when it is
    /// there and current, else a private index built from the plan (gone
    /// with the connection). Before `query_only` is set.
    fn search_for_reading_only(&mut self) -> Result<()> {
        let newest = self.newest_revision()?;
        let mode = uri_mode(immutable(&search::file::beside(&self.path)));
        if search::file::attach_for_reading(&self.conn, &self.path, mode, newest) {
            return Ok(());
        }
        search::file::create_private(&self.conn)?;
        let plan = self.current()?;
        search::rebuild(&self.conn, &plan)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the writes committed through this store changed since the last
    /// call; see [`changes`].
    pub fn take_changes(&self) -> Changes {
        self.tracker
            .as_ref()
            .map_or(Changes::NONE, changes::Tracker::take)
    }

    /// Runs `f` in one IMMEDIATE transaction: everything it wrote commits
    /// together, or nothing does.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs read-only `f` on one snapshot of the database with the plan as
    /// it stands in it: what it reads is consistent, and it takes no write
    /// lock (it works on a store that only reads).
    pub fn with_plan_read<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Plan) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let plan = self.cache.get(&tx)?;
        f(&tx, &plan)
    }

    /// Runs `f` in one IMMEDIATE transaction with the plan as it stands
    /// inside it: another process's plan change committed just before is
    /// seen, and none can commit until this one has.
    pub fn with_plan_tx<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Plan) -> Result<T>,
    ) -> Result<T> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let plan = self.cache.get(&tx)?;
        let value = f(&tx, &plan)?;
        tx.commit()?;
        Ok(value)
    }

    /// The connection, for read-only queries of other modules (search).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The stored plan, a copy to keep or change.
    pub fn plan(&mut self) -> Result<Plan> {
        Ok((*self.current()?).clone())
    }

    /// The current plan, shared (no copy), from the cache unless a newer
    /// revision was committed since.
    pub fn current(&mut self) -> Result<Arc<Plan>> {
        self.cache.get(&self.conn)
    }

    /// The plan's outline (see [`crate::plan::outline`]): from the cached
    /// plan when it is current, otherwise read from the tables in one
    /// snapshot, without reading (or caching) the whole plan — what a launch
    /// on a large plan asks first.
    pub fn outline(&mut self) -> Result<crate::plan::PlanOutline> {
        let snapshot = self.conn.unchecked_transaction()?;
        let version = plan_version(&snapshot)?;
        match self.cache.at(version) {
            Some(plan) => Ok(crate::plan::outline(&plan)),
            None => plan_rows::outline(&snapshot),
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
        self.writable()?;
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
        self.writable()?;
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
        // While a roster is pinned, keys and approvers change only through it.
        let roster = team::roster::in_force(&self.conn)?;
        let before = match edit {
            PlanEdit::SaveProcedure { .. } => commands::commands_before(&*self.current()?, edit),
            _ => Vec::new(),
        };
        let info = self.change_plan(clock, |plan| {
            // The edit changes the plan in place; a refusal takes it back.
            let applied = edit::apply(plan, edit)?;
            let problems = crate::plan::validate_change(plan, &applied.changes);
            if !problems.is_empty() {
                applied.changes.apply(plan, false)?;
                return Err(Error::InvalidPlan(problems));
            }
            let guards = applied
                .changes
                .elements
                .iter()
                .any(|c| matches!(c.section, Section::CoreTeam | Section::Decisions));
            if let Some(why) = roster
                .as_ref()
                .filter(|_| guards)
                .and_then(|r| team::roster::guarded(r, plan))
            {
                applied.changes.apply(plan, false)?;
                return Err(Error::Refused(why));
            }
            Ok(PlanChange {
                changes: applied.changes,
                summary: applied.summary,
                whole: false,
            })
        })?;
        // A command written or changed in this laptop's editor is its
        // person's own: trusted to run here (see store/commands.rs).
        commands::trust_saved(&self.conn, edit, &before, clock.now(), &self.author)?;
        Ok(info)
    }

    /// What saving `edit` would be refused for, saving nothing (see
    /// [`crate::plan::edit::check`]): the edit is made on this store's own
    /// copy of the plan and taken back, not on a fresh copy of the whole
    /// plan for each keystroke of a form. A copy the edit could not be
    /// taken back from is dropped; the next read loads the stored plan.
    pub fn check_edit(&mut self, edit: &PlanEdit) -> Result<Vec<crate::plan::Problem>> {
        let (version, mut plan) = self.cache.take(&self.conn)?;
        let applied = match edit::apply(&mut plan, edit) {
            Ok(applied) => applied,
            Err(refused) => {
                // `apply` put back whatever it had changed.
                self.cache.put(version, plan);
                return Err(refused);
            }
        };
        let problems = crate::plan::validate_change(&plan, &applied.changes);
        if applied.changes.apply(&mut plan, false).is_ok() {
            self.cache.put(version, plan);
        }
        Ok(problems)
    }

    /// Replaces the whole stored plan with `plan` as one revision, after
    /// checking it; a plan with problems is refused and nothing changes.
    pub fn replace_plan(
        &mut self,
        plan: &Plan,
        summary: &str,
        clock: &dyn Clock,
    ) -> Result<Option<RevisionInfo>> {
        self.update_plan(clock, |_| Ok((plan.clone(), summary.to_owned())))
    }

    /// Read-modify-write of the whole plan in one IMMEDIATE transaction:
    /// `make` gets the plan as it stands inside it and returns the new plan
    /// and the revision's summary. Refused, with nothing changed, when the
    /// new plan has problems; `None` when it equals the old one. A plan
    /// committed by another process meanwhile is the one `make` changes, so
    /// nothing it wrote is reverted and the history stays a chain.
    pub fn update_plan(
        &mut self,
        clock: &dyn Clock,
        make: impl FnOnce(&Plan) -> Result<(Plan, String)>,
    ) -> Result<Option<RevisionInfo>> {
        let roster = team::roster::in_force(&self.conn)?;
        self.change_plan(clock, |plan| {
            let (mut new, mut summary) = make(plan)?;
            // An import or a restore keeps the roster's keys and approvers.
            if let Some(kept) = roster.as_ref().map(|r| r.impose(&mut new)) {
                if !kept.is_empty() {
                    summary = format!("{summary} (kept from the roster: {})", kept.join(", "));
                }
            }
            let problems = crate::plan::validate(&new);
            if !problems.is_empty() {
                return Err(Error::InvalidPlan(problems));
            }
            let changes = elements::diff(plan, &new, None);
            *plan = new;
            Ok(PlanChange {
                changes,
                summary,
                whole: true,
            })
        })
    }

    /// Changes the plan in one IMMEDIATE transaction: `change` gets the plan
    /// as it stands inside it, changes it in place (or, refusing, leaves it
    /// as it was) and says what it did; the rows, the revision and the
    /// search index are written with it. `None` when nothing changed. If the
    /// write fails, the cached plan is dropped so the next read reloads what
    /// the database really holds.
    fn change_plan(
        &mut self,
        clock: &dyn Clock,
        change: impl FnOnce(&mut Plan) -> Result<PlanChange>,
    ) -> Result<Option<RevisionInfo>> {
        self.writable()?;
        let now = timestamp(clock);
        let author = self.author.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (version, mut plan) = self.cache.take(&tx)?;
        let done = match change(&mut plan) {
            Ok(done) => done,
            Err(refused) => {
                drop(tx);
                self.cache.put(version, plan);
                return Err(refused);
            }
        };
        if done.changes.is_empty() {
            drop(tx);
            self.cache.put(version, plan);
            return Ok(None);
        }
        let revision = write_change(&tx, &plan, &done, &now, &author)?;
        team::plan::record(&tx, &plan, &done.changes, &done.summary, clock.now())?;
        tx.commit()?;
        self.cache.put(revision.id, plan);
        Ok(Some(revision))
    }

    /// The newest revisions first.
    pub fn revisions(&self, limit: usize) -> Result<Vec<RevisionInfo>> {
        history::list(&self.conn, limit)
    }

    /// The plan as it was right after revision `id`.
    pub fn plan_at(&mut self, id: i64) -> Result<Plan> {
        let current = self.current()?;
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
        let roster = team::roster::in_force(&self.conn)?;
        let revision = self.change_plan(clock, |plan| {
            history::undoable(plan, &changes)?;
            let undo = changes.inverted();
            undo.apply(plan, true)?;
            let problems = crate::plan::validate_change(plan, &undo);
            if !problems.is_empty() {
                undo.apply(plan, false)?;
                return Err(Error::InvalidPlan(problems));
            }
            // Keys and approvers a pinned roster keeps are not undone here.
            if let Some(why) = roster.as_ref().and_then(|r| team::roster::guarded(r, plan)) {
                undo.apply(plan, false)?;
                return Err(Error::Refused(why));
            }
            Ok(PlanChange {
                changes: undo,
                summary: format!("Undid: {}", info.summary),
                whole: false,
            })
        })?;
        revision.ok_or_else(|| Error::Refused(format!("undoing revision {id} changes nothing")))
    }

    /// Seeds the starter plan into a database with no plan, in one
    /// IMMEDIATE transaction that looks again inside it: two processes
    /// opening a new folder at once seed it once.
    fn seed_if_empty(&mut self, clock: &dyn Clock) -> Result<()> {
        let now = timestamp(clock);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let has_plan: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM plan_meta)", [], |r| r.get(0))?;
        if has_plan {
            return Ok(());
        }
        let starter = starter::plan(clock.now().date_naive());
        let done = PlanChange {
            changes: elements::diff(&Plan::empty(), &starter, None),
            summary: "Started from the built-in starter plan".to_owned(),
            whole: true,
        };
        let revision = write_change(&tx, &starter, &done, &now, SEED_AUTHOR)?;
        tx.commit()?;
        self.cache.put(revision.id, starter);
        Ok(())
    }

    /// Gives a database from before the history existed a first revision
    /// (the search index follows in `index_up_to_date`).
    fn backfill(&mut self, clock: &dyn Clock) -> Result<()> {
        let has_history: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM revision)", [], |r| r.get(0))?;
        if has_history {
            return Ok(());
        }
        let plan = self.current()?;
        let now = timestamp(clock);
        let author = self.author.clone();
        self.with_tx(|tx| {
            let changes = elements::diff(&Plan::empty(), &plan, None);
            let summary = "The plan as it was before history was kept";
            history::record(tx, &now, &author, summary, &changes)?;
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
    // The writer made the index's file and keeps it current.
    search::file::attach_beside_writer(&conn, path)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// A connection that only reads the database at `path`, for a store whose
/// folder or disk cannot be written; see [`Store::open_read_only`].
fn open_read_only_connection(path: &Path, immutable: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let uri = format!("file:{}?{}", uri_path(path), uri_mode(immutable));
    let conn = Connection::open_with_flags(uri, flags).map_err(|e| classify(e, path))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // `query_only` once its search index is there (see `Store::reader`).
    Ok(conn)
}

/// `path` as the path of an SQLite `file:` URI: every byte but unreserved
/// characters and `/` percent-encoded (a `?`, `#` or `%` in a folder's name
/// is then part of the name, not of the URI's syntax).
pub(crate) fn uri_path(path: &Path) -> String {
    use std::fmt::Write as _;
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The metadata of SQLite's file `suffix` (`-wal`, `-shm`) beside `path`.
/// Whether the database file at `path` may be read as immutable: a `-wal`
/// with commits in it must be read with the file (mode=ro needs its
/// `-shm`); without one, immutable needs nothing beside it.
fn immutable(path: &Path) -> bool {
    sidecar(path, "-wal").is_none_or(|m| m.len() == 0)
}

/// The `file:` URI's query for a file read only, immutable or not.
fn uri_mode(immutable: bool) -> &'static str {
    if immutable {
        "immutable=1"
    } else {
        "mode=ro"
    }
}

fn sidecar(path: &Path, suffix: &str) -> Option<std::fs::Metadata> {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::fs::metadata(name).ok()
}

/// Why the database at `path` cannot be written, found before SQLite opens
/// it: the file or its folder refuses writing (a read-only mount, missing
/// permission), or the disk has no room for a commit. A probe file is
/// written beside it and removed; nothing else is touched. `None` when
/// writing should work.
fn why_unwritable(path: &Path) -> Option<String> {
    use std::io::{ErrorKind, Write as _};
    let refused = |e: &std::io::Error| {
        matches!(
            e.kind(),
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
        )
    };
    let full =
        |e: &std::io::Error| matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
        if refused(&e) {
            return Some(format!(
                "the database {} cannot be written ({e})",
                path.display()
            ));
        }
    }
    // A commit needs room in the folder: the WAL, its index, the pages.
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let probe = folder.join(format!(".muster-probe-{}-{unique}", std::process::id()));
    let tried = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut file| file.write_all(&[0u8; PROBE_BYTES]));
    let _ = std::fs::remove_file(&probe);
    match tried {
        Err(e) if full(&e) => Some(format!(
            "the disk holding {} is full ({e}); free some space on it (large files you no longer need; old copies in the data folder's `backups`) and start Muster again to write",
            folder.display()
        )),
        Err(e) if refused(&e) => Some(format!(
            "the folder {} cannot be written ({e})",
            folder.display()
        )),
        _ => None,
    }
}

/// How much the probe of [`why_unwritable`] writes: room for a small commit.
const PROBE_BYTES: usize = 64 * 1024;

/// Writes `done`, which made `plan` what it is, with its revision, keeping
/// the search index in step. With `done.whole`, every row is rewritten (a
/// new or replaced plan).
fn write_change(
    tx: &Transaction<'_>,
    plan: &Plan,
    done: &PlanChange,
    now: &str,
    author: &str,
) -> Result<RevisionInfo> {
    tx.pragma_update(None, "defer_foreign_keys", true)?;
    if done.whole {
        write::clear(tx)?;
        write::write_all(tx, plan, now)?;
        search::rebuild(tx, plan)?;
    } else {
        let changed = &done.changes.elements;
        write::write_elements(tx, plan, changed, now)?;
        if changed.len() > REINDEX_UP_TO {
            // One pass over the plan, not a search (and its neighbours')
            // for each of thousands of elements.
            search::rebuild(tx, plan)?;
        } else {
            for c in changed {
                search::reindex(tx, plan, c.section, &c.key)?;
            }
        }
        for o in &done.changes.orders {
            write::write_positions(tx, plan, o.section)?;
        }
    }
    let revision = history::record(tx, now, author, &done.summary, &done.changes)?;
    search::file::stamp(tx, revision.id)?;
    Ok(revision)
}

/// Up to how many changed elements a save re-indexes them one by one for
/// search; more (a large import) rebuild the index in one pass.
const REINDEX_UP_TO: usize = 256;

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

/// Makes a new database at `path`: migrated and seeded in a file of its own
/// beside it, then linked into place only if `path` is still free (another
/// process that got there first wins, and its database is the one opened).
fn create(path: &Path, clock: &dyn Clock) -> Result<()> {
    let folder_error = |source: std::io::Error| Error::DatabaseFile {
        path: path.to_owned(),
        source,
    };
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = path
        .file_name()
        .map_or_else(|| DB_FILE.into(), |n| n.to_string_lossy().into_owned());
    let new = path.with_file_name(format!(".{name}.new-{}-{unique}", std::process::id()));
    let made = (|| -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&new, flags).map_err(|e| classify(e, &new))?;
        configure(&conn)?;
        migrate(&mut conn, &new, MIGRATIONS)?;
        let store = Store::ready(conn, &new, clock)?;
        // Everything into the main file, so it is whole on its own.
        store
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(store);
        Ok(())
    })();
    let linked = made.and_then(|()| match std::fs::hard_link(&new, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: a rename, which replaces, only
        // while the name is still free.
        Err(_) if !path.exists() => std::fs::rename(&new, path).map_err(folder_error),
        Err(e) => Err(folder_error(e)),
    });
    for leftover in ["", "-wal", "-shm", "-journal"] {
        let mut file = new.clone().into_os_string();
        file.push(leftover);
        let _ = std::fs::remove_file(file);
    }
    // Its search index too: the database's first open builds its own.
    search::file::remove(&new);
    linked
}

/// How old a new database beside `path` must be before it counts as left
/// by a process killed while making it (one takes well under a second).
const UNFINISHED_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes new databases beside `path` that [`create`] began and never
/// linked into place (its process was killed): `.muster.sqlite3.new-…` files,
/// with their `-wal`, `-shm` and `-journal`, older than [`UNFINISHED_AFTER`].
/// Only ever such files; nothing is said when one cannot be removed.
fn sweep_unfinished(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.new-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        if !file.to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > UNFINISHED_AFTER);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Refuses a file that is an SQLite database but not Muster's: every Muster
/// database has a schema version of 1 or more from its first write.
fn check_muster(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if found < 1 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| classify(e, path))?;
        return Err(Error::DatabaseDamaged {
            path: path.to_owned(),
            detail: format!(
                "it is an SQLite database with schema version {found} and {tables} table(s), which Muster never writes: it was left untouched"
            ),
        });
    }
    Ok(())
}

/// SQLite's quick check, before anything is written: a damaged database is
/// refused and left untouched, and the latest backup that checks is named.
fn check_whole(conn: &Connection, path: &Path) -> Result<()> {
    let found = backup::quick_check(conn).map_err(|e| classify(e, path))?;
    let Some(found) = found else {
        return Ok(());
    };
    Err(Error::DatabaseDamaged {
        path: path.to_owned(),
        detail: format!("SQLite's check found: {found}; it was left untouched"),
    })
}

/// "; the latest backup that checks is …", when there is one beside `path`.
fn restore_hint(path: &Path) -> String {
    match backup::latest_good(path) {
        Some(b) => format!(
            "; the latest backup that checks is {} (from {}): `muster restore {}` puts it back and keeps this file",
            b.path,
            b.made_at.format("%Y-%m-%d %H:%M UTC"),
            b.path
        ),
        None => String::new(),
    }
}

/// A backup before the schema is migrated (`before-vN-<time>`), so an
/// upgrade can always be undone by a restore.
fn backup_before_migrating(conn: &Connection, path: &Path, clock: &dyn Clock) -> Result<()> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(e, path))?;
    if found >= SCHEMA_VERSION {
        return Ok(());
    }
    let to = backup::backups_dir(path).join(format!(
        "before-v{SCHEMA_VERSION}-{}.sqlite3",
        clock.now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    backup::copy(conn, &to)
}

/// Reads the schema version straight from the file header (SQLite keeps
/// `user_version` at byte 60), so a database from a newer Muster is refused
/// without SQLite opening it for writing — not even to switch it to WAL.
pub(super) fn check_header(path: &Path) -> Result<()> {
    let mut header = [0u8; 100];
    let read = match File::open(path) {
        Ok(mut file) => read_up_to(&mut file, &mut header),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::DatabaseFile {
                path: path.to_owned(),
                source,
            });
        }
    }
    .map_err(|source| Error::DatabaseFile {
        path: path.to_owned(),
        source,
    })?;
    if read == 0 {
        // Only a missing file is a new database: an empty one was emptied.
        return Err(Error::DatabaseDamaged {
            path: path.to_owned(),
            detail: "the file is empty (0 bytes); it was left untouched".to_owned(),
        });
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
