//! Drives the team folder's intake as each sync round runs it
//! (`team::take_in` in the shell): `team::folder::scan_new`, which reads
//! and checks every event file under `events/` (name, size, JSON shape,
//! envelope, id, SSHSIG, the signer's key in the plan), then
//! `Store::take_in` on Ben's laptop, which keeps what verified and applies
//! it (incident events, decision requests and signatures, plan changes).
//! The team folder is synced by Syncthing, git or a network share: anyone
//! who can write there can drop any file, and a teammate's own laptop may
//! send anything it can sign (RELIABILITY.md: "The team folder is untrusted
//! input").
//!
//! The input is several event files (see `muster_fuzz::files`). A file's
//! header says where it goes: `auto` names it by its id (the name Muster
//! gives it, when its bytes parse as an event); `+` does that after
//! signing the event again with its author's key (a member's, or a
//! stranger's for anyone else), as a teammate's laptop would, so that
//! what only signed events reach is fuzzed too; any other name is a path
//! under `events/`. Each run starts from the same store.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use muster_core::team::{folder, SignedEvent};
use muster_fuzz::sandbox::Sandbox;
use muster_fuzz::{files, scratch, world};

struct State {
    sandbox: Sandbox,
    team: PathBuf,
}

fn state() -> &'static Mutex<State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = scratch::process_dir("team_event");
        let (store, team) = world::team_receiver(&dir.join("built"));
        Mutex::new(State {
            sandbox: Sandbox::new(store, &dir, world::clock()),
            team,
        })
    })
}

/// A name under `events/` for bytes that are no event.
const UNNAMED: &str = "zz/0000000000000000000000000000000000000000000000000000000000000000.json";

fn place(team: &Path, file: files::File<'_>) {
    let events = team.join(folder::EVENTS);
    let parsed = || serde_json::from_slice::<SignedEvent>(file.bytes).ok();
    match file.name {
        b"auto" => match parsed() {
            Some(event) => files::put(team, &folder::path_of(team, &event.id()), file.bytes),
            None => files::put(&events, Path::new(UNNAMED), file.bytes),
        },
        b"+" => match parsed().and_then(|e| {
            SignedEvent::sign(e.event.clone(), &world::key_for(e.event.author.as_str())).ok()
        }) {
            Some(event) => files::put(team, &folder::path_of(team, &event.id()), &event.to_file()),
            None => files::put(&events, Path::new(UNNAMED), file.bytes),
        },
        name => {
            if let Some(relative) = files::safe_path(name, 2) {
                files::put(&events, &relative, file.bytes);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut state = match state().lock() {
        Ok(state) => state,
        Err(poisoned) => poisoned.into_inner(),
    };
    let State { sandbox, team } = &mut *state;
    scratch::fresh(&team.join(folder::EVENTS));
    for file in files::decode(data) {
        place(team, file);
    }
    let clock = world::clock();
    let store = sandbox.store();
    let (Ok(plan), Ok(known)) = (store.current(), store.team_known()) else {
        panic!("the sandbox's store cannot be read");
    };
    let scan = folder::scan_new(team, &plan, &known);
    if scan.verified.is_empty() {
        return;
    }
    let _ = store.take_in(&scan, &clock);
    let _ = store.team_status();
    sandbox.touched();
});
