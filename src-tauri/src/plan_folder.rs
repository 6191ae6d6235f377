//! The plan folder in the app: pick one through the OS dialog, and a linked
//! folder that Muster watches (so it can offer what others changed) and can
//! write its own edits back to. Export, preview and import themselves are
//! `muster_core::ops::folder`, shared with the command line.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use muster_core::clock::{Clock, SystemClock};
use muster_core::ops::folder;
use muster_core::store::Store;
use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};
use ts_rs::TS;

use crate::events::LINKED_FOLDER_CHANGED;

const LINKED_DIR: &str = "linked.folder";
const WRITE_BACK: &str = "linked.write-back";
/// How long to wait for a burst of file events (a git pull, an editor's
/// save-by-rename) to settle before saying the folder changed.
const SETTLE: Duration = Duration::from_millis(400);

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
            return Err(muster_core::Error::Unavailable(format!(
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
    let plan = match store.current() {
        Ok(plan) => plan,
        Err(e) => return Some(e.to_string()),
    };
    folder::export(&plan, Path::new(&dir))
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
