//! The one managed app state: the open store (or why it could not be opened),
//! and a way to run store work on a blocking thread so SQLite never stalls the
//! UI's event loop and no lock is held across an `.await`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use muster_core::clock::SystemClock;
use muster_core::store::Store;

use crate::error::IpcError;

#[derive(Debug)]
pub struct AppState {
    pub data_dir: PathBuf,
    store: Result<Arc<Mutex<Store>>, IpcError>,
}

impl AppState {
    /// Opens the database in `data_dir`. A failure is kept and reported by
    /// every command, so the window can show it instead of crashing.
    pub fn open(data_dir: PathBuf) -> AppState {
        let store = Store::open_in(&data_dir, &SystemClock)
            .map(|s| Arc::new(Mutex::new(s)))
            .map_err(IpcError::from);
        AppState { data_dir, store }
    }

    /// Runs `work` against the store on a blocking thread.
    pub async fn run<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> muster_core::Result<T> + Send + 'static,
    {
        let store = self.store.clone()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = store.lock().map_err(|_| {
                IpcError::internal(
                    "the store is unavailable after an earlier failure; restart Muster",
                )
            })?;
            work(&mut guard).map_err(IpcError::from)
        })
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?
    }
}
