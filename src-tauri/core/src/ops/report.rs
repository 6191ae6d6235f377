//! Saving an exercise's after-action report: rendered as Markdown or HTML,
//! written whole, with its attached files copied into `attachments/` beside
//! it — or nothing left behind. The window's save dialog and `muster
//! exercise report` call [`write`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::exercise::report::ATTACHMENTS_DIR;
use crate::exercise::{AttachmentKind, ExerciseId};
use crate::export;
use crate::store::Store;

/// How the after-action report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    Markdown,
    /// Printable, self-contained HTML.
    Html,
}

impl ReportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
        }
    }

    /// The save dialog's filter label.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "Markdown",
            ReportFormat::Html => "HTML",
        }
    }

    pub fn is_html(self) -> bool {
        self == ReportFormat::Html
    }

    /// The suggested file name: `EX-3-after-action.md`.
    pub fn file_name(self, id: &ExerciseId) -> String {
        format!("{id}-after-action.{}", self.extension())
    }
}

/// A report written, with what became of its attached files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportSaved {
    pub path: String,
    /// Attached files copied into `attachments/` beside the report.
    pub copied: Vec<String>,
    /// Attached files no longer in the data folder: the report still links
    /// them, but they are not beside it.
    pub missing: Vec<String>,
}

/// Renders exercise `id`'s after-action report in `format` at `now`, writes
/// it to `path` (atomically) and copies its attached files into
/// `attachments/` beside it. On an error nothing is left behind: no report,
/// no copies.
pub fn write(
    store: &mut Store,
    id: &ExerciseId,
    format: ReportFormat,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<ReportSaved> {
    let exercise = store.exercise(id)?;
    let text = store.exercise_report(id, format.is_html(), now)?;
    let cannot = |what: &Path, e: std::io::Error| {
        Error::Unavailable(format!("cannot write {}: {e}", what.display()))
    };
    if path.file_name().is_none() || path.is_dir() {
        return Err(Error::Refused(format!(
            "{} is not a file name: name the file to write",
            path.display()
        )));
    }
    let source = store.exercise_folder(id);
    let files: Vec<String> = exercise
        .attachments
        .iter()
        .filter(|a| a.kind == AttachmentKind::File)
        .filter_map(|a| Path::new(&a.target).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    export::write_atomically(path, &text).map_err(|e| cannot(path, e))?;
    let mut saved = ReportSaved {
        path: path.display().to_string(),
        copied: Vec::new(),
        missing: Vec::new(),
    };
    if files.is_empty() {
        return Ok(saved);
    }
    let folder = path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(ATTACHMENTS_DIR);
    let created = !folder.exists();
    let undo = |copied: &[PathBuf]| {
        for file in copied {
            let _ = std::fs::remove_file(file);
        }
        if created {
            let _ = std::fs::remove_dir(&folder);
        }
        let _ = std::fs::remove_file(path);
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        undo(&[]);
        return Err(cannot(&folder, e));
    }
    let mut written = Vec::new();
    for name in files {
        let from = source.join(&name);
        if !from.is_file() {
            saved.missing.push(name);
            continue;
        }
        let to = folder.join(&name);
        if let Err(e) = std::fs::copy(&from, &to) {
            undo(&written);
            return Err(cannot(&to, e));
        }
        written.push(to);
        saved.copied.push(name);
    }
    Ok(saved)
}
