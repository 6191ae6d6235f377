//! A store that every run starts from in the same state, so that what one
//! input took in can never change how the next is judged (and a crash
//! found in a run reproduces from its input alone).
//!
//! The state is the database file of a store built once when the target
//! starts. A run that may have changed it (the target says so with
//! [`Sandbox::touched`]) has the file put back before the next run:
//! cheap on tmpfs, and rare for most targets, since only input that passes
//! every check changes anything.

use std::fs;
use std::path::{Path, PathBuf};

use muster_core::clock::FixedClock;
use muster_core::store::Store;

/// The files SQLite keeps beside a database in WAL mode.
const SIDE_FILES: [&str; 2] = ["-wal", "-shm"];

#[derive(Debug)]
pub struct Sandbox {
    /// The database file, and its side files, as they were built.
    pristine: Vec<(PathBuf, Vec<u8>)>,
    path: PathBuf,
    clock: FixedClock,
    store: Option<Store>,
    dirty: bool,
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Sandbox {
    /// Keeps the state of `store` (which is closed) to start every run from,
    /// in `dir` (a folder of its own), opening it with `clock`.
    pub fn new(store: Store, dir: &Path, clock: FixedClock) -> Sandbox {
        let built = store.path().to_owned();
        drop(store);
        let mut pristine = Vec::new();
        let name = built.file_name().map(|n| n.to_owned()).unwrap_or_default();
        let path = dir.join(name);
        for suffix in std::iter::once("").chain(SIDE_FILES) {
            if let Ok(bytes) = fs::read(side(&built, suffix)) {
                pristine.push((side(&path, suffix), bytes));
            }
        }
        Sandbox {
            pristine,
            path,
            clock,
            store: None,
            dirty: true,
        }
    }

    /// The store, in the state it was built in.
    pub fn store(&mut self) -> &mut Store {
        if self.dirty || self.store.is_none() {
            self.reset();
        }
        match &mut self.store {
            Some(store) => store,
            None => unreachable!("reset opens the store"),
        }
    }

    /// Says that the store may have changed: it is put back before the next run.
    pub fn touched(&mut self) {
        self.dirty = true;
    }

    fn reset(&mut self) {
        self.store = None;
        for suffix in std::iter::once("").chain(SIDE_FILES) {
            let _ = fs::remove_file(side(&self.path, suffix));
        }
        for (path, bytes) in &self.pristine {
            if let Err(e) = fs::write(path, bytes) {
                panic!("the sandbox's database cannot be put back: {e}");
            }
        }
        match Store::open(&self.path, &self.clock) {
            Ok(store) => self.store = Some(store),
            Err(e) => panic!("the sandbox's database does not open: {e}"),
        }
        self.dirty = false;
    }
}
