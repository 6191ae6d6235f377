//! The one managed app state: the open store (or why it could not be
//! opened), with one writing connection and read-only ones beside it, and
//! the two ways to reach them from a command — [`AppState::read`] and
//! [`AppState::write`] — each on a blocking thread so SQLite never stalls
//! the UI's event loop and no lock is held across an `.await`.
//!
//! Architecture invariant: every write goes through [`AppState::write`],
//! which takes what the store says the write changed and hands it to the
//! one publisher (`publish.rs`): a write without its event cannot happen.
//! Reads run on their own connections (WAL), so a read never waits behind
//! a write.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use muster_core::clock::SystemClock;
use muster_core::store::{Changes, Store};

use crate::error::IpcError;
use crate::plan_folder::{self, FolderWatch};

/// How many read-only connections serve the window's reads at once.
const READERS: usize = 2;

/// What the publisher gets after a write: what changed, and the message of
/// a failed write-back to the linked folder.
pub type Publisher = Box<dyn Fn(Changes, Option<String>) + Send + Sync>;

pub struct AppState {
    pub data_dir: PathBuf,
    writer: Result<Arc<Mutex<Store>>, IpcError>,
    readers: Result<Vec<Arc<Mutex<Store>>>, IpcError>,
    publisher: OnceLock<Publisher>,
    /// The watch on the linked plan folder, while there is one.
    pub watch: Mutex<Option<FolderWatch>>,
    /// What the full integrity check found, when it found damage: from then
    /// on every write is refused, so the damaged file is never written to.
    damage: Mutex<Option<String>>,
    /// Why nothing can be written, when the database could only be opened
    /// for reading (its folder or disk is read-only, or the disk is full).
    pub writes_off: Option<String>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("data_dir", &self.data_dir)
            .field("open", &self.writer.is_ok())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the database in `data_dir`. A failure is kept and reported by
    /// every command, so the window can show it instead of crashing.
    /// `author` names the revisions until the user sets a profile name.
    pub fn open(data_dir: PathBuf, author: &str) -> AppState {
        let store = Store::open_in(&data_dir, &SystemClock)
            .and_then(|mut s| {
                s.default_author(author)?;
                Ok(s)
            })
            .map_err(IpcError::from);
        // Every read reports the same failure as the writer when it failed.
        let readers = match &store {
            Ok(s) => (0..READERS)
                .map(|_| s.reader().map(|r| Arc::new(Mutex::new(r))))
                .collect::<Result<Vec<_>, _>>()
                .map_err(IpcError::from),
            Err(e) => Err(e.clone()),
        };
        let writes_off = match &store {
            Ok(s) => s.writes_off().map(str::to_owned),
            Err(_) => None,
        };
        if let Some(why) = &writes_off {
            eprintln!("muster: reading only, writes are off: {why}");
        }
        AppState {
            data_dir,
            writes_off,
            writer: store.map(|s| Arc::new(Mutex::new(s))),
            readers,
            publisher: OnceLock::new(),
            watch: Mutex::new(None),
            damage: Mutex::new(None),
        }
    }

    /// Runs SQLite's full integrity check (the quick one ran on open) on a
    /// connection of its own (see [`AppState::read_apart`]; it takes seconds
    /// on a large plan); damage found refuses every write from then on.
    /// What it found.
    pub async fn check_integrity(&self) -> Result<Option<String>, IpcError> {
        let (found, index) = self
            .read_apart(|store| Ok((store.integrity_check()?, store.search_index_check())))
            .await?;
        // The search index is rebuilt from the plan: its damage refuses
        // nothing; it is marked and made afresh at the next start.
        match index {
            Ok(None) => {}
            Ok(Some(found)) => eprintln!(
                "muster: the search index is damaged ({found}); it is made afresh when Muster next starts"
            ),
            Err(e) => eprintln!("muster: cannot check the search index: {e}"),
        }
        if let Some(found) = &found {
            if let Ok(mut damage) = self.damage.lock() {
                *damage = Some(found.clone());
            }
        }
        Ok(found)
    }

    fn refuse_if_damaged(&self) -> Result<(), IpcError> {
        let found = self.damage.lock().ok().and_then(|d| d.clone());
        match found {
            None => Ok(()),
            Some(found) => Err(IpcError::from(muster_core::Error::DatabaseDamaged {
                path: self.data_dir.join(muster_core::store::DB_FILE),
                detail: format!(
                    "SQLite's full check found: {found}; nothing more is written to it"
                ),
            })),
        }
    }

    /// Sets the one publisher of changes (once, when the app is built).
    pub fn set_publisher(&self, publisher: Publisher) {
        let _ = self.publisher.set(publisher);
    }

    /// Publishes `changes` made elsewhere (another process on this data
    /// folder said it wrote).
    pub fn publish(&self, changes: Changes) {
        self.announce(changes, None);
    }

    /// Runs read-only `work` on a reader, off the UI thread and never
    /// queued behind a write. Writing through it fails.
    pub async fn read<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> muster_core::Result<T> + Send + 'static,
    {
        let readers = self.readers.clone()?;
        blocking(move || {
            // A free reader if there is one, else wait for the first.
            let mut guard = match readers.iter().find_map(|r| r.try_lock().ok()) {
                Some(guard) => guard,
                None => readers
                    .first()
                    .ok_or_else(|| IpcError::internal("no reader is open"))?
                    .lock()
                    .map_err(|_| poisoned())?,
            };
            work(&mut guard).map_err(IpcError::from)
        })
        .await
    }

    /// Runs long read-only `work` (the full integrity check, a backup) on a
    /// connection opened for it and closed after, off the UI thread: the
    /// window's readers are never held by it, so a page's question never
    /// waits behind a copy of the whole file.
    pub async fn read_apart<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> muster_core::Result<T> + Send + 'static,
    {
        let readers = self.readers.clone()?;
        blocking(move || {
            let mut own = {
                let first = readers
                    .first()
                    .ok_or_else(|| IpcError::internal("no reader is open"))?;
                // Held only while the connection is opened.
                let reader = first.lock().map_err(|_| poisoned())?;
                reader.reader().map_err(IpcError::from)?
            };
            let done = work(&mut own).map_err(IpcError::from);
            // A long read's peak (a whole-file check, a backup) is freed
            // here: give it back — with whatever else the arenas hold free
            // by then (at launch, the plan's first read on a window reader).
            drop(own);
            crate::memory::give_back();
            done
        })
        .await
    }

    /// Runs `work` against the writing store on a blocking thread, then
    /// publishes what it changed — after a plan change, with the plan
    /// written back to the linked folder when the user asked for that.
    /// What committed is published even when `work` then failed.
    pub async fn write<T, F>(&self, work: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> muster_core::Result<T> + Send + 'static,
    {
        self.refuse_if_damaged()?;
        let writer = self.writer.clone()?;
        let (result, changes, failed) = blocking(move || {
            let mut store = writer.lock().map_err(|_| poisoned())?;
            Ok(write_with(&mut store, work))
        })
        .await?;
        self.announce(changes, failed);
        result
    }

    /// Runs `work` against the writing store on the calling thread and
    /// publishes what it changed, as [`AppState::write`] does; for start-up
    /// and tests, never from an async command.
    pub fn write_now<T>(
        &self,
        work: impl FnOnce(&mut Store) -> muster_core::Result<T>,
    ) -> Result<T, IpcError> {
        self.refuse_if_damaged()?;
        let writer = self.writer.clone()?;
        let mut store = writer.lock().map_err(|_| poisoned())?;
        let (result, changes, failed) = write_with(&mut store, work);
        drop(store);
        self.announce(changes, failed);
        result
    }

    /// Hands what a write changed to the publisher (once the store is free).
    fn announce(&self, changes: Changes, write_back_failed: Option<String>) {
        if !changes.is_empty() {
            if let Some(publish) = self.publisher.get() {
                publish(changes, write_back_failed);
            }
        }
    }

    /// Runs read-only `work` on the calling thread; for start-up only,
    /// before the UI can ask for anything.
    pub fn read_now<T>(
        &self,
        work: impl FnOnce(&mut Store) -> muster_core::Result<T>,
    ) -> Result<T, IpcError> {
        let readers = self.readers.clone()?;
        let reader = readers
            .first()
            .ok_or_else(|| IpcError::internal("no reader is open"))?;
        let mut guard = reader.lock().map_err(|_| poisoned())?;
        work(&mut guard).map_err(IpcError::from)
    }
}

/// Runs `work` on the writing store and takes what it changed; after a plan
/// change, writes the plan back to the linked folder when the user asked
/// for that (the message of a failure comes back for the window).
fn write_with<T>(
    store: &mut Store,
    work: impl FnOnce(&mut Store) -> muster_core::Result<T>,
) -> (Result<T, IpcError>, Changes, Option<String>) {
    let result = work(store).map_err(IpcError::from);
    let changes = store.take_changes();
    let failed = if changes.plan() {
        plan_folder::write_back(store)
    } else {
        None
    };
    (result, changes, failed)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::AppState;

    /// A backup or the full check (seconds on a large plan) runs apart: the
    /// window's two readers stay free for the page's questions meanwhile.
    #[test]
    fn a_long_read_apart_holds_none_of_the_windows_readers() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(AppState::open(dir.path().join("data"), "Tess Tester"));
        tauri::async_runtime::block_on(async {
            let long = {
                let state = state.clone();
                tauri::async_runtime::spawn(async move {
                    state
                        .read_apart(|store| {
                            std::thread::sleep(Duration::from_millis(1500));
                            store.integrity_check()
                        })
                        .await
                })
            };
            tokio::time::sleep(Duration::from_millis(200)).await;
            // Two questions at once, each holding its reader a while.
            let started = Instant::now();
            let ask = |state: Arc<AppState>| async move {
                state
                    .read(|store| {
                        std::thread::sleep(Duration::from_millis(200));
                        store.overdue_reminder()
                    })
                    .await
            };
            let (a, b) = tokio::join!(ask(state.clone()), ask(state.clone()));
            let answered = started.elapsed();
            assert_eq!((a.unwrap(), b.unwrap()), (15, 15));
            assert!(
                answered < Duration::from_millis(900),
                "the page's questions waited behind the long read: {answered:?}"
            );
            assert_eq!(
                long.await.unwrap().unwrap(),
                None,
                "the check ran and found it sound"
            );
        });
    }
}
