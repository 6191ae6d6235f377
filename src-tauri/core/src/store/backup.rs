//! Backups: whole copies of the database in `<data folder>/backups/`, made
//! with SQLite's online backup (a consistent copy while the app runs), each
//! checked after it is written. Muster makes one a day (the first time the
//! app or a command runs that day), one before every schema migration, and
//! one when asked (`muster backup`, Settings → Backups). A restore checks
//! the copy first and keeps the file it replaces among the backups, so
//! nothing is ever lost by restoring. Daily copies are kept [`KEEP_DAYS`]
//! days; the others until removed by hand.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use super::{check_header, Store, DB_FILE, SCHEMA_VERSION};
use crate::clock::Clock;
use crate::error::{Error, Result};

/// The folder, inside the data folder, that holds the backups.
pub const BACKUPS_DIR: &str = "backups";
/// How many days daily backups are kept.
pub const KEEP_DAYS: i64 = 14;

/// Why a backup was made, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackupKind {
    /// `daily-YYYY-MM-DD.sqlite3`
    Daily,
    /// `before-vN-<time>.sqlite3`: before migrating to schema version N.
    BeforeMigration,
    /// `manual-<time>.sqlite3`
    Manual,
    /// `replaced-<time>.sqlite3`: the database a restore replaced.
    Replaced,
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    pub kind: BackupKind,
    /// When the file was written (its modification time).
    pub made_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    pub from: String,
    /// Where the database it replaced was kept.
    pub kept: Option<String>,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%S%.3fZ").to_string()
}

fn unavailable(what: &str, path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Unavailable(format!("{what} {}: {e}", path.display()))
}

/// The backups folder of the data folder holding `db`.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join(BACKUPS_DIR)
}

/// Copies the database open on `conn` to `to` with SQLite's online backup,
/// written beside `to` and moved into place once checked, so a backup file
/// is whole or absent.
pub(super) fn copy(conn: &Connection, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| unavailable("cannot make", dir, e))?;
    }
    let partial = to.with_extension("partial");
    let made = (|| -> Result<()> {
        let mut target = Connection::open(&partial)?;
        Backup::new(conn, &mut target)?.run_to_completion(256, Duration::ZERO, None)?;
        let check: String = target.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt(format!(
                "the backup written to {} does not check: {check}",
                partial.display()
            )));
        }
        drop(target);
        std::fs::rename(&partial, to).map_err(|e| unavailable("cannot write", to, e))
    })();
    if made.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    made
}

impl Store {
    /// SQLite's full integrity check (slower than the quick one on open):
    /// None when it says "ok", else its first findings.
    pub fn integrity_check(&self) -> Result<Option<String>> {
        check_schema(&self.conn, "main")
    }

    /// The same check of the search index's file (derived data, apart from
    /// the database): damage found marks it to be made afresh at the next
    /// open, and is said; nothing else is refused for it. None when it says
    /// "ok" or is not attached.
    pub fn search_index_check(&self) -> Result<Option<String>> {
        if !crate::search::file::attached(&self.conn) {
            return Ok(None);
        }
        let found = match check_schema(&self.conn, crate::search::file::SCHEMA) {
            Ok(found) => found,
            Err(Error::Storage(e)) if crate::search::file::damaged(&e) => Some(e.to_string()),
            Err(e) => return Err(e),
        };
        if found.is_some() {
            crate::search::file::mark_damaged(&self.path)?;
        }
        Ok(found)
    }

    /// Writes a backup of the whole database now (`manual-<time>`); its path.
    pub fn backup_now(&self, clock: &dyn Clock) -> Result<PathBuf> {
        let to = backups_dir(&self.path).join(format!("manual-{}.sqlite3", stamp(clock.now())));
        copy(&self.conn, &to)?;
        Ok(to)
    }

    /// Today's backup (`daily-YYYY-MM-DD`, UTC), unless there is one, and
    /// removes daily backups older than [`KEEP_DAYS`]. The path written, if any.
    pub fn daily_backup(&self, clock: &dyn Clock) -> Result<Option<PathBuf>> {
        if self.writes_off().is_some() {
            // Nowhere to write it; said by the store's every write instead.
            return Ok(None);
        }
        let now = clock.now();
        let dir = backups_dir(&self.path);
        // Called on every pass of the scheduler: once today's copy is there,
        // nothing more is read.
        let Some(to) = daily_due(&self.path, clock) else {
            return Ok(None);
        };
        copy(&self.conn, &to)?;
        let made = Some(to);
        let oldest = (now - chrono::Duration::days(KEEP_DAYS)).date_naive();
        for old in list(&dir)? {
            if old.kind != BackupKind::Daily {
                continue;
            }
            let day = Path::new(&old.path)
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.strip_prefix("daily-"))
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if day.is_some_and(|d| d < oldest) {
                let _ = std::fs::remove_file(&old.path);
            }
        }
        Ok(made)
    }
}

/// Where today's daily backup of the database at `db` goes, when it is not
/// made yet; None once it is. Looks at one file name, opens nothing.
pub fn daily_due(db: &Path, clock: &dyn Clock) -> Option<PathBuf> {
    let to = backups_dir(db).join(format!("daily-{}.sqlite3", clock.now().format("%Y-%m-%d")));
    (!to.exists()).then_some(to)
}

/// The backups in `dir`, newest first.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(unavailable("cannot read", dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".sqlite3") else {
            continue;
        };
        let kind = if stem.starts_with("daily-") {
            BackupKind::Daily
        } else if stem.starts_with("before-v") {
            BackupKind::BeforeMigration
        } else if stem.starts_with("manual-") {
            BackupKind::Manual
        } else if stem.starts_with("replaced-") {
            BackupKind::Replaced
        } else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let made_at = meta
            .modified()
            .map(DateTime::<Utc>::from)
            .unwrap_or(DateTime::UNIX_EPOCH);
        out.push(BackupInfo {
            path: path.display().to_string(),
            kind,
            made_at,
            bytes: meta.len(),
        });
    }
    out.sort_by(|a, b| (b.made_at, &b.path).cmp(&(a.made_at, &a.path)));
    Ok(out)
}

/// Why `path` cannot be restored (or opened), or None when it is a whole
/// Muster database this version can read: its header, its schema version,
/// SQLite's quick check.
pub fn check_copy(path: &Path) -> Option<String> {
    if let Err(e) = check_header(path) {
        return Some(e.to_string());
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(conn) => conn,
        Err(e) => return Some(e.to_string()),
    };
    let version: rusqlite::Result<i64> = conn.query_row("PRAGMA user_version", [], |r| r.get(0));
    match version {
        Ok(v) if (1..=SCHEMA_VERSION).contains(&v) => {}
        Ok(v) => return Some(format!("it has schema version {v}, which is not Muster's")),
        Err(e) => return Some(e.to_string()),
    }
    match quick_check(&conn) {
        Ok(None) => None,
        Ok(Some(found)) => Some(format!("SQLite's check found: {found}")),
        Err(e) => Some(e.to_string()),
    }
}

/// SQLite's quick check: None when it says "ok", else its first findings.
pub(super) fn quick_check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((found != ["ok"]).then(|| found.join("; ")))
}

/// SQLite's full check of one attached schema: None when it says "ok".
fn check_schema(conn: &Connection, schema: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {schema}.integrity_check(5)"))?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((found != ["ok"]).then(|| found.join("; ")))
}

/// The newest backup in the data folder of `db` that checks, if any.
pub fn latest_good(db: &Path) -> Option<BackupInfo> {
    list(&backups_dir(db))
        .ok()?
        .into_iter()
        .find(|b| check_copy(Path::new(&b.path)).is_none())
}

/// Puts the backup `from` in place of the database in `data_dir`, after
/// checking it; the database it replaces (if any) is kept among the backups
/// as `replaced-<time>`. Nothing may have the database open: the caller
/// holds the data folder (the app is not running).
pub fn restore(data_dir: &Path, from: &Path, clock: &dyn Clock) -> Result<Restored> {
    if let Some(why) = check_copy(from) {
        return Err(Error::Refused(format!(
            "{} cannot be restored: {why}. Nothing was changed",
            from.display()
        )));
    }
    let db = data_dir.join(DB_FILE);
    let dir = backups_dir(&db);
    std::fs::create_dir_all(&dir).map_err(|e| unavailable("cannot make", &dir, e))?;
    // The copy goes in beside the database first: a full disk fails here,
    // with the old database still in place.
    let incoming = data_dir.join(format!("{DB_FILE}.restoring"));
    let copied = (|| -> Result<()> {
        let source = Connection::open_with_flags(
            from,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut target = Connection::open(&incoming)?;
        Backup::new(&source, &mut target)?.run_to_completion(256, Duration::ZERO, None)?;
        target.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        File::open(&incoming)
            .and_then(|f| f.sync_all())
            .map_err(|e| unavailable("cannot write", &incoming, e))
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&incoming);
        return Err(e);
    }
    let kept = if db.exists() {
        let keep = dir.join(format!("replaced-{}.sqlite3", stamp(clock.now())));
        // The replaced database, whole: a backup copy folds its WAL in.
        let old = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        let kept = old.map_err(Error::from).and_then(|c| copy(&c, &keep));
        if kept.is_err() {
            // A damaged database may not copy page by page: keep its bytes.
            if let Err(e) = std::fs::copy(&db, &keep) {
                let _ = std::fs::remove_file(&incoming);
                return Err(unavailable("cannot keep", &db, e));
            }
        }
        Some(keep.display().to_string())
    } else {
        None
    };
    // The old database's WAL must not be read into the new one, nor its
    // search index stand for the restored plan (the next open builds one).
    for stale in ["-wal", "-shm", "-journal"] {
        let mut file = db.clone().into_os_string();
        file.push(stale);
        let _ = std::fs::remove_file(file);
    }
    crate::search::file::remove(&db);
    std::fs::rename(&incoming, &db).map_err(|e| unavailable("cannot replace", &db, e))?;
    Ok(Restored {
        from: from.display().to_string(),
        kept,
    })
}

#[cfg(test)]
mod tests;
