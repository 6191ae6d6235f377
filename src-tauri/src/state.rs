//! The one managed app state: the open store (or why it could not be opened),
//! a separate read-only connection for searches, and a way to run store work
//! on a blocking thread so SQLite never stalls the UI's event loop and no lock
//! is held across an `.await`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use muster_core::clock::SystemClock;
use muster_core::store::{self, Store};
use muster_core::Connection;

use crate::error::IpcError;
use crate::plan_folder::FolderWatch;

#[derive(Debug)]
pub struct AppState {
    pub data_dir: PathBuf,
    store: Result<Arc<Mutex<Store>>, IpcError>,
    reader: Result<Arc<Mutex<Connection>>, IpcError>,
    /// The watch on the linked plan folder, while there is one.
    pub watch: Mutex<Option<FolderWatch>>,
}

impl AppState {
    /// Opens the database in `data_dir`. A failure is kept and reported by
    /// every command, so the window can show it instead of crashing.
    /// `author` names the revisions until the user sets a profile name.
    pub fn open(data_dir: PathBuf, author: &str) -> AppState {
        let store = Store::open_in(&data_dir, &SystemClock).and_then(|mut s| {
            s.default_author(author)?;
            Ok(s)
        });
        let reader = match &store {
            Ok(s) => store::open_reader(s.path())
                .map(|c| Arc::new(Mutex::new(c)))
                .map_err(IpcError::from),
            Err(_) => Err(IpcError::internal("the database is not open")),
        };
        let store = store
            .map(|s| Arc::new(Mutex::new(s)))
            .map_err(IpcError::from);
        AppState {
            data_dir,
            store,
            reader,
            watch: Mutex::new(None),
        }
    }

    /// Runs `work` against the store on a blocking thread.
    pub async fn run<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> muster_core::Result<T> + Send + 'static,
    {
        let store = self.store.clone()?;
        blocking(move || {
            let mut guard = store.lock().map_err(|_| poisoned())?;
            work(&mut guard).map_err(IpcError::from)
        })
        .await
    }

    /// Runs `work` against the store on the calling thread; for start-up only,
    /// before the UI can ask for anything.
    pub fn run_now<T>(
        &self,
        work: impl FnOnce(&mut Store) -> muster_core::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.store.clone()?;
        let mut guard = store.lock().map_err(|_| poisoned())?;
        work(&mut guard).map_err(IpcError::from)
    }

    /// Runs read-only `work` on the search connection, off the UI thread and
    /// never queued behind a write.
    pub async fn read<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> muster_core::Result<T> + Send + 'static,
    {
        let reader = self.reader.clone()?;
        blocking(move || {
            let guard = reader.lock().map_err(|_| poisoned())?;
            work(&guard).map_err(IpcError::from)
        })
        .await
    }
}

fn poisoned() -> IpcError {
    IpcError::internal("the store is unavailable after an earlier failure; restart Muster")
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))?
}
