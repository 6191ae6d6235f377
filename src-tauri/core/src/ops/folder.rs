//! The plan folder (plan as code): export the stored plan to a folder,
//! preview what importing one would change, and import it as one revision.
//! The window (`plan_folder` commands, the linked folder's write-back) and
//! `muster plan export|import|diff` call these.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::count;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::folder::{self, Level, ReadError};
use crate::plan::Plan;
use crate::store::{history, DiffEntry, RevisionInfo, Store};

/// What a folder would change, or why it cannot be taken in.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FolderPreview {
    pub dir: String,
    /// Field by field, from the stored plan to the folder's; empty when equal.
    pub changes: Vec<DiffEntry>,
    /// Located problems (`file:line:column: message`); any error blocks an import.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// A folder imported (or, in a dry run, what importing it would do).
#[derive(Debug, Clone)]
pub struct Imported {
    /// Field by field, from the plan as it stood to the folder's.
    pub changes: Vec<DiffEntry>,
    /// The revision made; none in a dry run or when nothing changed.
    pub revision: Option<RevisionInfo>,
}

/// Writes `plan` to `dir`; one line saying what was written.
pub fn export(plan: &Plan, dir: &Path) -> Result<String> {
    let done = folder::export(plan, dir).map_err(|e| Error::Unavailable(e.to_string()))?;
    Ok(format!(
        "Exported the plan to {}: {} written, {} unchanged, {} removed",
        dir.display(),
        count(done.written.len(), "file"),
        done.unchanged.len(),
        done.removed.len()
    ))
}

/// Reads the plan folder `dir`; on problems, `Rejected` with each located
/// error (warnings do not block) and `then` saying what did not happen.
pub fn read(dir: &Path, then: &str) -> Result<Plan> {
    match folder::read(dir) {
        Ok(plan) => Ok(plan),
        Err(ReadError::Unreadable(e)) => Err(Error::Unavailable(e.to_string())),
        Err(ReadError::Invalid(diagnostics)) => {
            let problems: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| d.in_folder(dir))
                .collect();
            Err(Error::Rejected {
                summary: format!(
                    "{} in {}: {then}",
                    count(problems.len(), "problem"),
                    dir.display()
                ),
                problems,
            })
        }
    }
}

/// What importing `dir` would change, or the problems that stop it.
pub fn preview(current: &Plan, dir: &Path) -> FolderPreview {
    let mut preview = FolderPreview {
        dir: dir.display().to_string(),
        changes: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    match folder::read(dir) {
        Ok(plan) => preview.changes = history::readable_diff(current, &plan),
        Err(ReadError::Unreadable(e)) => preview.errors.push(e.to_string()),
        Err(ReadError::Invalid(diagnostics)) => {
            for d in diagnostics {
                let list = if d.level == Level::Error {
                    &mut preview.errors
                } else {
                    &mut preview.warnings
                };
                list.push(d.in_folder(dir));
            }
        }
    }
    preview
}

/// Replaces the stored plan with the folder's, as one revision; refused,
/// with nothing changed, when the folder has any problem. With `dry_run`,
/// says what would change and changes nothing. The diff is taken inside the
/// writing transaction, against the plan as it stands then.
pub fn import(store: &mut Store, dir: &Path, dry_run: bool, clock: &dyn Clock) -> Result<Imported> {
    let plan = read(dir, "nothing was imported, the stored plan is unchanged")?;
    if dry_run {
        let changes = history::readable_diff(&*store.current()?, &plan);
        return Ok(Imported {
            changes,
            revision: None,
        });
    }
    let mut changes = Vec::new();
    let summary = format!("Imported the plan from {}", dir.display());
    let revision = store.update_plan(clock, |current| {
        changes = history::readable_diff(current, &plan);
        Ok((plan, summary))
    })?;
    Ok(Imported { changes, revision })
}
