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
use std::sync::{Arc, Condvar, Mutex, OnceLock};

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
    /// The database, once opened (in the background at launch: the window
    /// does not wait for SQLite's check of a large file).
    opening: Arc<Opening>,
    publisher: OnceLock<Publisher>,
    /// The watch on the linked plan folder, while there is one.
    pub watch: Mutex<Option<FolderWatch>>,
    /// What the full integrity check found, when it found damage: from then
    /// on every write is refused, so the damaged file is never written to.
    damage: Mutex<Option<String>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = self
            .opening
            .open
            .lock()
            .ok()
            .and_then(|o| o.as_ref().map(|o| o.writer.is_ok()));
        f.debug_struct("AppState")
            .field("data_dir", &self.data_dir)
            .field("open", &open)
            .finish_non_exhaustive()
    }
}

/// The opened database: one writer and its readers, or why it could not be
/// opened (every command reports that).
struct Open {
    writer: Result<Arc<Mutex<Store>>, IpcError>,
    readers: Result<Vec<Arc<Mutex<Store>>>, IpcError>,
    /// Why nothing can be written, when the database could only be opened
    /// for reading (its folder or disk is read-only, or the disk is full).
    writes_off: Option<String>,
}

impl Open {
    fn new(data_dir: &std::path::Path, author: &str) -> Open {
        let store = Store::open_in(data_dir, &SystemClock)
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
        Open {
            writer: store.map(|s| Arc::new(Mutex::new(s))),
            readers,
            writes_off,
        }
    }
}

/// The database being opened: whoever needs it waits for it (on a blocking
/// thread, never the UI's).
#[derive(Default)]
struct Opening {
    open: Mutex<Option<Arc<Open>>>,
    done: Condvar,
}

impl Opening {
    fn set(&self, open: Open) {
        if let Ok(mut slot) = self.open.lock() {
            *slot = Some(Arc::new(open));
        }
        self.done.notify_all();
    }

    /// The opened database, once it is (blocks until then).
    fn wait(&self) -> Result<Arc<Open>, IpcError> {
        let mut slot = self.open.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(open) = slot.as_ref() {
                return Ok(open.clone());
            }
            slot = self.done.wait(slot).map_err(|_| poisoned())?;
        }
    }
}

impl AppState {
    /// Opens the database in `data_dir`. A failure is kept and reported by
    /// every command, so the window can show it instead of crashing.
    /// `author` names the revisions until the user sets a profile name.
    pub fn open(data_dir: PathBuf, author: &str) -> AppState {
        let state = AppState::unopened(data_dir);
        state.opening.set(Open::new(&state.data_dir, author));
        state
    }

    /// As [`AppState::open`], opening on a thread of its own: the app's
    /// window starts while SQLite checks the file (a large database takes
    /// a second), and every command waits for the open — no read or write
    /// before the check has passed.
    pub fn open_in_background(data_dir: PathBuf, author: &str) -> AppState {
        let state = AppState::unopened(data_dir);
        let (opening, dir, name) = (
            state.opening.clone(),
            state.data_dir.clone(),
            author.to_owned(),
        );
        let spawned = std::thread::Builder::new()
            .name("open-database".to_owned())
            .spawn(move || opening.set(Open::new(&dir, &name)));
        if let Err(e) = spawned {
            eprintln!("muster: no thread to open the database on ({e}); opening it now");
            state.opening.set(Open::new(&state.data_dir, author));
        }
        state
    }

    fn unopened(data_dir: PathBuf) -> AppState {
        AppState {
            data_dir,
            opening: Arc::default(),
            publisher: OnceLock::new(),
            watch: Mutex::new(None),
            damage: Mutex::new(None),
        }
    }

    /// Why nothing can be written, when the database could only be opened
    /// for reading; waits for the open.
    pub async fn writes_off(&self) -> Option<String> {
        let opening = self.opening.clone();
        blocking(move || Ok(opening.wait()?.writes_off.clone()))
            .await
            .ok()
            .flatten()
    }

    /// Runs SQLite's full integrity check on a reader (the quick one ran on
    /// open); damage found refuses every write from then on. What it found.
    pub async fn check_integrity(&self) -> Result<Option<String>, IpcError> {
        let found = self.read(|store| store.integrity_check()).await?;
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
        let opening = self.opening.clone();
        blocking(move || {
            let open = opening.wait()?;
            let readers = open.readers.as_ref().map_err(Clone::clone)?;
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
        let opening = self.opening.clone();
        let (result, changes, failed) = blocking(move || {
            let open = opening.wait()?;
            let writer = open.writer.as_ref().map_err(Clone::clone)?;
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
        let open = self.opening.wait()?;
        let writer = open.writer.as_ref().map_err(Clone::clone)?;
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

    /// Runs read-only `work` on the calling thread (waiting for the open);
    /// for start-up and tests, never from an async command.
    pub fn read_now<T>(
        &self,
        work: impl FnOnce(&mut Store) -> muster_core::Result<T>,
    ) -> Result<T, IpcError> {
        let open = self.opening.wait()?;
        let readers = open.readers.as_ref().map_err(Clone::clone)?;
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
    use super::*;

    /// Opened in the background, the state answers every command once the
    /// database is open — a damaged one with the same refusal as a state
    /// opened at once, and nothing written to it.
    #[test]
    fn a_state_opened_in_the_background_answers_once_open_and_refuses_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let data = dir.path().join("data");
        let state = AppState::open_in_background(data.clone(), "Tess Tester");
        // A write waits for the open (and its check) instead of failing.
        let name = state
            .write_now(|store| {
                store.set_setting("probe", Some("1"))?;
                Ok(store.plan()?.meta.name.clone())
            })
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert!(!name.is_empty());
        let read = state.read_now(|store| store.setting("probe"));
        assert_eq!(read.ok().flatten().as_deref(), Some("1"));
        drop(state);

        // A file that is not a Muster database: refused, left as it was.
        let damaged = dir.path().join("damaged");
        std::fs::create_dir_all(&damaged).unwrap_or_default();
        let file = damaged.join(muster_core::store::DB_FILE);
        std::fs::write(&file, b"not a database, but not empty either").unwrap_or_default();
        let state = AppState::open_in_background(damaged.clone(), "Tess Tester");
        let refused = state.write_now(|store| store.set_setting("probe", Some("1")));
        let said = refused.err().map(|e| e.message).unwrap_or_default();
        assert!(
            said.contains("not a Muster database") || said.contains("damaged"),
            "{said}"
        );
        assert!(state.read_now(|store| store.setting("probe")).is_err());
        assert_eq!(
            std::fs::read(&file).unwrap_or_default(),
            b"not a database, but not empty either"
        );
    }
}
