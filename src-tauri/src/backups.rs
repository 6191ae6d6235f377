//! Backups from the window (Settings → Backups): the list, a copy now, and a
//! restore. The database is open while the app runs, so a restore is asked
//! for here, written down as `restore.pending` in the data folder, and done
//! by the app itself as it starts again — before anything opens the
//! database, holding the data folder. What it did is said in Settings.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use muster_core::clock::SystemClock;
use muster_core::store::backup::{self, BackupInfo};
use muster_core::store::DB_FILE;
use tauri::{AppHandle, Runtime, State};

use crate::error::IpcError;
use crate::state::AppState;

/// The file naming the backup to put in place at the next start.
pub const PENDING: &str = "restore.pending";

/// What the last restore at start did, for Settings.
#[derive(Debug, Default)]
pub struct LastRestore(pub Mutex<Option<String>>);

/// Does the restore asked for before the restart, if one was: a sentence
/// saying what happened. Call with the data folder held, before the
/// database is opened.
pub fn restore_pending(data_dir: &Path) -> Option<String> {
    let marker = data_dir.join(PENDING);
    let wanted = std::fs::read_to_string(&marker).ok()?;
    // Once, whatever happens: a restore that fails is not tried at every start.
    let _ = std::fs::remove_file(&marker);
    let from = PathBuf::from(wanted.trim());
    Some(match backup::restore(data_dir, &from, &SystemClock) {
        Ok(done) => match done.kept {
            Some(kept) => format!(
                "Restored the database from {}. The database it replaced is kept as {kept}.",
                done.from
            ),
            None => format!("Restored the database from {}.", done.from),
        },
        Err(e) => format!("The restore from {} did not happen: {e}", from.display()),
    })
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, IpcError> {
    let dir = backup::backups_dir(&state.data_dir.join(DB_FILE));
    crate::commands::off_thread(move || backup::list(&dir))
        .await?
        .map_err(IpcError::from)
}

/// Copies the whole database now (on a connection of its own: the window's
/// reads go on meanwhile); the copy's path.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<String, IpcError> {
    state
        .read_apart(|store| store.backup_now(&SystemClock))
        .await
        .map(|p| p.display().to_string())
}

/// Checks the backup at `path`, then restarts the app to put it in place.
#[tauri::command]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> Result<(), IpcError> {
    let from = PathBuf::from(&path);
    let checked = crate::commands::off_thread(move || backup::check_copy(&from)).await?;
    if let Some(why) = checked {
        return Err(IpcError::from(muster_core::Error::Refused(format!(
            "{path} cannot be restored: {why}. Nothing was changed"
        ))));
    }
    std::fs::write(state.data_dir.join(PENDING), &path).map_err(|e| {
        IpcError::from(muster_core::Error::Unavailable(format!(
            "cannot ask for the restore in {}: {e}",
            state.data_dir.display()
        )))
    })?;
    app.restart();
}

/// What the last restore at start did, if one was asked for.
#[tauri::command]
pub fn last_restore(last: State<'_, LastRestore>) -> Option<String> {
    last.0.lock().ok().and_then(|l| l.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_asked_for_is_done_once_at_the_next_start_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        let store = muster_core::store::Store::open_in(data, &SystemClock).unwrap();
        let copy = store.backup_now(&SystemClock).unwrap();
        drop(store);
        assert_eq!(restore_pending(data), None, "nothing asked, nothing done");
        std::fs::write(data.join(PENDING), copy.display().to_string()).unwrap();
        let said = restore_pending(data).unwrap();
        assert!(said.starts_with("Restored the database from"), "{said}");
        assert!(said.contains("is kept as"), "{said}");
        assert_eq!(restore_pending(data), None, "once");
        // A restore that cannot happen is said, and not tried again.
        std::fs::write(data.join(PENDING), "/nowhere/at/all.sqlite3").unwrap();
        let said = restore_pending(data).unwrap();
        assert!(said.contains("did not happen"), "{said}");
        assert!(!data.join(PENDING).exists());
    }
}
