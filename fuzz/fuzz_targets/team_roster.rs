//! Drives the team roster's intake as each sync round runs it
//! (`team::roster_round` in the shell): `team::folder::roster_files`, which
//! reads every file under `roster/` (`RosterFile::parse`, the name against
//! the hash of the bytes), then `Store::take_in_roster` on Ben's laptop,
//! which pinned the team's version 1: each version's signatures are
//! checked, its standing judged against the version in force, and a
//! version that comes into force is imposed on the plan. Roster files
//! come through the same untrusted team folder as events.
//!
//! The input is several roster files (see `muster_fuzz::files`). A file's
//! header says where it goes: `auto` names it by the hash of its bytes
//! (when they parse as a roster file); `+` does that after adding the
//! signatures of every key of the world that the roster names and of Ada,
//! the admin of version 1, so that a version can come into force and be
//! imposed; any other name is a path under `roster/`. Each run starts from
//! the same store.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use muster_core::decision::sshsig;
use muster_core::decision::PrivateKey;
use muster_core::team::folder;
use muster_core::team::roster::{RosterFile, DIR};
use muster_fuzz::sandbox::Sandbox;
use muster_fuzz::{files, scratch, world};

struct State {
    sandbox: Sandbox,
    team: PathBuf,
    keys: Vec<PrivateKey>,
}

fn state() -> &'static Mutex<State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = scratch::process_dir("team_roster");
        let (store, _root) = world::roster_keeper(&dir.join("built"));
        Mutex::new(State {
            sandbox: Sandbox::new(store, &dir, world::clock()),
            team: dir.join("team"),
            keys: world::all_keys(),
        })
    })
}

/// `file` with the signatures of Ada and of every key in `keys` that it
/// names for a member.
fn signed_by_holders(mut file: RosterFile, keys: &[PrivateKey]) -> RosterFile {
    for (i, key) in keys.iter().enumerate() {
        let line = sshsig::public_line(key.public_key());
        let named = file.roster.members.values().any(|m| m.key == line);
        // The first key is Ada's, the admin of version 1.
        if i == 0 || named {
            if let Ok(signature) = file.roster.sign(key) {
                file.signatures.push(signature);
            }
        }
    }
    file
}

fn place(team: &Path, file: files::File<'_>, keys: &[PrivateKey]) {
    let dir = team.join(DIR);
    let unnamed = || files::put(&dir, Path::new("unnamed.json"), file.bytes);
    match file.name {
        b"auto" => match RosterFile::parse(file.bytes) {
            Ok(parsed) => files::put(&dir, Path::new(&parsed.file_name()), file.bytes),
            Err(_) => unnamed(),
        },
        b"+" => match RosterFile::parse(file.bytes) {
            Ok(parsed) => {
                let signed = signed_by_holders(parsed, keys);
                files::put(&dir, Path::new(&signed.file_name()), &signed.to_file());
            }
            Err(_) => unnamed(),
        },
        name => {
            if let Some(relative) = files::safe_path(name, 1) {
                files::put(&dir, &relative, file.bytes);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut state = match state().lock() {
        Ok(state) => state,
        Err(poisoned) => poisoned.into_inner(),
    };
    let State {
        sandbox,
        team,
        keys,
    } = &mut *state;
    scratch::fresh(team);
    for file in files::decode(data) {
        place(team, file, keys);
    }
    let (found, _quarantined) = folder::roster_files(team);
    if found.is_empty() {
        return;
    }
    let roster_files: Vec<RosterFile> = found.into_iter().map(|(_, file)| file).collect();
    let clock = world::clock();
    let store = sandbox.store();
    let _ = store.take_in_roster(&roster_files, &clock);
    let _ = store.roster();
    sandbox.touched();
});
