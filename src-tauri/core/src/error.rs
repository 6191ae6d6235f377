//! Errors of the domain and the store, and the closed set of codes that the
//! shell sends across IPC so the UI can branch on a code, never on text.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::plan::Problem;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the database {path} was written by a newer Muster (schema version {found}; this Muster knows up to {supported}). Update Muster to open it; the file was left untouched"
    )]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("the database {path} is damaged or is not a Muster database ({detail}). Restore a backup (`muster restore FILE`: Muster keeps copies in the data folder's `backups`), or move the file out of the data folder to start afresh")]
    DatabaseDamaged { path: PathBuf, detail: String },

    #[error("cannot use the data folder {path}: {source}")]
    DataFolder {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot read or write the database file {path}: {source}")]
    DatabaseFile {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("the plan has {} problem(s): {}", .0.len(), join_problems(.0))]
    InvalidPlan(Vec<Problem>),

    /// Input with problems, every one located (an exercise set-up, …). As
    /// text: the one problem's own sentence, or how many and each sentence.
    #[error("{}", form_text(.what, .problems))]
    Invalid {
        what: &'static str,
        problems: Vec<Problem>,
    },

    /// A change the current state does not allow (an incident already
    /// resolved, a decision already signed, a plan that would break),
    /// refused with what to do instead.
    #[error("{0}")]
    Refused(String),

    /// Something outside Muster that the action needs could not be used: a
    /// file or folder (missing, unreadable, full disk), the keychain
    /// (locked, absent), a dialog. Nothing was changed; trying again after
    /// fixing it may work.
    #[error("{0}")]
    Unavailable(String),

    /// A file or folder with problems, each located (`path:line:column:
    /// message`); nothing of it was taken in. `summary` says how many and
    /// where.
    #[error("{summary}: {}", join_lines(.problems))]
    Rejected {
        summary: String,
        problems: Vec<String>,
    },

    #[error("no {what} has the id `{id}`")]
    NotFound { what: &'static str, id: String },

    /// Nothing can be written: the database's folder or disk is read-only,
    /// or the disk is full. Reading still works; the text says why and what
    /// to do, and that nothing was saved.
    #[error("{0}")]
    WritesOff(String),

    #[error("the database could not be read or written: {0}")]
    Storage(rusqlite::Error),

    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

/// What SQLite reports about a row or a page that is not as written — a
/// damaged file, never a passing state — reads as damage, with what to do;
/// anything else (busy, a full disk, …) is a storage error.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as Code;
        let damaged = matches!(
            e,
            rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::Utf8Error(..)
                | rusqlite::Error::InvalidColumnType(..)
        ) || matches!(
            e.sqlite_error_code(),
            Some(Code::DatabaseCorrupt | Code::NotADatabase)
        );
        if damaged {
            return Error::Corrupt(format!(
                "{e}: the database is damaged. Quit Muster and restore a backup (`muster restore FILE`; Muster keeps copies in the data folder's `backups`)"
            ));
        }
        match e.sqlite_error_code() {
            Some(Code::DiskFull) => Error::WritesOff(DISK_FULL.to_owned()),
            Some(Code::ReadOnly) => Error::WritesOff(
                "the database is open read-only (its folder or disk cannot be written): nothing was saved".to_owned(),
            ),
            _ => Error::Storage(e),
        }
    }
}

/// What a write refused for a full disk says.
pub const DISK_FULL: &str = "the disk holding Muster's database is full: nothing was saved. Free some space on it (large files you no longer need; old copies in the data folder's `backups`) and try again";

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

fn form_text(what: &str, problems: &[Problem]) -> String {
    match problems {
        [one] => one.message.clone(),
        _ => {
            let mut text: Vec<&str> = problems
                .iter()
                .take(5)
                .map(|p| p.message.as_str())
                .collect();
            let more = format!("and {} more", problems.len().saturating_sub(5));
            if problems.len() > 5 {
                text.push(&more);
            }
            format!(
                "the {what} has {}: {}",
                count(problems.len()),
                text.join("; ")
            )
        }
    }
}

fn join_problems(problems: &[Problem]) -> String {
    let mut text: Vec<String> = problems.iter().take(5).map(|p| p.to_string()).collect();
    if problems.len() > 5 {
        text.push(format!("and {} more", problems.len() - 5));
    }
    text.join("; ")
}

fn join_lines(problems: &[String]) -> String {
    let mut text: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
    let more = format!("and {} more", problems.len().saturating_sub(5));
    if problems.len() > 5 {
        text.push(&more);
    }
    text.join("; ")
}

/// The closed set of error codes the UI understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The thing named does not exist (any more).
    NotFound,
    /// Bad input: `problems` says what and where.
    InvalidInput,
    /// A state conflict: the action does not fit the current state.
    Refused,
    /// A file, folder, keychain or dialog could not be used.
    Unavailable,
    DatabaseTooNew,
    DatabaseDamaged,
    Storage,
    Internal,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::DatabaseDamaged { .. } | Error::Corrupt(_) => ErrorCode::DatabaseDamaged,
            Error::DataFolder { .. } | Error::DatabaseFile { .. } | Error::Storage(_) => {
                ErrorCode::Storage
            }
            Error::InvalidPlan(_) | Error::Invalid { .. } | Error::Rejected { .. } => {
                ErrorCode::InvalidInput
            }
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Refused(_) => ErrorCode::Refused,
            Error::Unavailable(_) | Error::WritesOff(_) => ErrorCode::Unavailable,
        }
    }
}
