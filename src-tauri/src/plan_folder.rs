//! The plan folder in the app: pick one through the OS dialog, export to it,
//! preview and import from it, and a linked folder that Muster watches (so it
//! can offer what others changed) and can write its own edits back to.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use muster_core::clock::{Clock, SystemClock};
use muster_core::folder::{self, Level, ReadError};
use muster_core::store::{history, DiffEntry, RevisionInfo, Store};
use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use ts_rs::TS;

/// The event sent when a file in the linked folder changed.
pub const LINKED_FOLDER_CHANGED: &str = "linked-folder-changed";
/// The event sent when writing edits back to the linked folder failed.
pub const WRITE_BACK_FAILED: &str = "linked-folder-write-failed";

const LINKED_DIR: &str = "linked.folder";
const WRITE_BACK: &str = "linked.write-back";
/// How long to wait for a burst of file events (a git pull, an editor's
/// save-by-rename) to settle before saying the folder changed.
const SETTLE: Duration = Duration::from_millis(400);

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

/// The linked folder, if any.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkedFolder {
    pub dir: Option<String>,
    /// Whether the app writes the plan to the folder after every change.
    pub write_back: bool,
}

/// Opens the OS folder chooser and waits for the answer; `None` when
/// cancelled. Call it from a background thread, never the main one: rfd's GTK
/// backend runs the dialog on the GLib main loop and waits for it there.
pub fn pick(title: String) -> Option<PathBuf> {
    rfd::FileDialog::new().set_title(title).pick_folder()
}

/// Writes the stored plan to `dir`; one line saying what was written.
pub fn export(store: &mut Store, dir: &Path) -> muster_core::Result<String> {
    let plan = store.current()?;
    let done = folder::export(plan, dir).map_err(|e| muster_core::Error::Refused(e.to_string()))?;
    Ok(format!(
        "Exported the plan to {}: {} file(s) written, {} unchanged, {} removed",
        dir.display(),
        done.written.len(),
        done.unchanged.len(),
        done.removed.len()
    ))
}

/// What importing `dir` would change, or the problems that stop it.
pub fn preview(store: &mut Store, dir: &Path) -> muster_core::Result<FolderPreview> {
    let mut preview = FolderPreview {
        dir: dir.display().to_string(),
        changes: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    match folder::read(dir) {
        Ok(plan) => preview.changes = history::readable_diff(store.current()?, &plan),
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
    Ok(preview)
}

/// Replaces the stored plan with the folder's, as one revision; refused,
/// with nothing changed, when the folder has any problem.
pub fn import(store: &mut Store, dir: &Path) -> muster_core::Result<Option<RevisionInfo>> {
    let plan = match folder::read(dir) {
        Ok(plan) => plan,
        Err(ReadError::Unreadable(e)) => return Err(muster_core::Error::Refused(e.to_string())),
        Err(ReadError::Invalid(diagnostics)) => {
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| d.in_folder(dir))
                .collect();
            return Err(muster_core::Error::Refused(format!(
                "the plan folder has {} problem(s); nothing was imported: {}",
                errors.len(),
                errors.join("; ")
            )));
        }
    };
    let summary = format!("Imported the plan from {}", dir.display());
    store.replace_plan(&plan, &summary, &SystemClock)
}

pub fn linked(store: &Store) -> muster_core::Result<LinkedFolder> {
    Ok(LinkedFolder {
        dir: store.setting(LINKED_DIR)?,
        write_back: store.setting(WRITE_BACK)?.as_deref() == Some("true"),
    })
}

pub fn set_linked(
    store: &mut Store,
    dir: Option<&Path>,
    write_back: bool,
) -> muster_core::Result<LinkedFolder> {
    match dir {
        Some(dir) if !dir.is_dir() => {
            return Err(muster_core::Error::Refused(format!(
                "{} is not a folder: choose an existing folder to link",
                dir.display()
            )));
        }
        Some(dir) => {
            let text = dir.display().to_string();
            store.set_setting(LINKED_DIR, Some(&text))?;
            store.set_setting(WRITE_BACK, Some(if write_back { "true" } else { "false" }))?;
        }
        None => {
            store.set_setting(LINKED_DIR, None)?;
            store.set_setting(WRITE_BACK, None)?;
        }
    }
    linked(store)
}

/// After a change to the stored plan: writes it to the linked folder when
/// the user asked for that. Errors come back as a message for the UI.
pub fn write_back(store: &mut Store) -> Option<String> {
    let linked = match linked(store) {
        Ok(l) => l,
        Err(e) => return Some(e.to_string()),
    };
    let dir = linked.dir.filter(|_| linked.write_back)?;
    export(store, Path::new(&dir))
        .err()
        .map(|e| format!("cannot write the plan to the linked folder: {e}"))
}

/// Watches the linked folder and emits [`LINKED_FOLDER_CHANGED`] once per
/// burst of changes. Dropping it stops the watching.
#[derive(Debug)]
pub struct FolderWatch {
    _watcher: notify::RecommendedWatcher,
}

impl FolderWatch {
    pub fn start<R: Runtime>(app: AppHandle<R>, dir: &Path) -> Result<FolderWatch, String> {
        let (tx, rx) = mpsc::channel::<()>();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.is_ok_and(|e| !e.kind.is_access()) {
                    let _ = tx.send(());
                }
            })
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        // Ends when the watcher (and so the sender) is dropped.
        std::thread::spawn(move || {
            while rx.recv().is_ok() {
                while rx.recv_timeout(SETTLE).is_ok() {}
                let _ = app.emit(LINKED_FOLDER_CHANGED, SystemClock.now().to_rfc3339());
            }
        });
        Ok(FolderWatch { _watcher: watcher })
    }
}

#[cfg(test)]
mod tests;
