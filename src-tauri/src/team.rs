//! The team folder from this laptop, for both doors (the app's background
//! link and `muster team …`): sign what waits in the outbox with the
//! person's key and write it into the folder, take in what teammates wrote,
//! and say which transport carries the folder.
//!
//! Transports: a Syncthing folder (asked to scan the new files at once
//! through its REST API when its key can be read, see `syncthing.rs`), a git
//! working copy (`git pull --rebase`, then add, commit and push with the
//! system git, so the user's own keys and credential helpers work), or a
//! plain folder (a network share, a Dropbox-like folder). A transport's
//! failure is a message, never a loss: files stay in the folder and in the
//! store until the next try.

mod git;
pub mod syncthing;

use std::path::{Path, PathBuf};

use muster_core::clock::Clock;
use muster_core::store::{Intake, Store, TeamProfile};
use muster_core::team::folder::{self, Quarantined};
use muster_core::team::SignedEvent;
use muster_core::Error;
use serde::Serialize;
use ts_rs::TS;

use crate::keychain::KeyStore;
use crate::signing;

/// What carries the team folder between laptops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum Transport {
    /// A Syncthing folder (its `.stfolder` marker is there).
    Syncthing {
        /// The folder's id in Syncthing's configuration, when found.
        folder_id: Option<String>,
        /// Its `maxConflicts` (0 would silently overwrite: never for Muster,
        /// which writes each file once, but worth knowing).
        max_conflicts: Option<i32>,
        /// Whether Muster can ask it to scan new files at once.
        api: bool,
    },
    /// A git working copy.
    Git,
    /// Any other folder (a share, a synced drive): watched and polled.
    Plain,
}

/// The setting naming the transport chosen when this laptop joined.
pub const TEAM_TRANSPORT: &str = "team.transport";

/// What carries the folder at `root`, as seen when joining: a Syncthing
/// folder (its `.stfolder` marker) wins over a `.git` inside it, since a
/// teammate's Syncthing could have planted that `.git`.
fn detect(root: &Path) -> &'static str {
    if root.join(".stfolder").exists() {
        "syncthing"
    } else if root.join(".git").is_dir() {
        "git"
    } else {
        "plain"
    }
}

/// The transport of the team folder at `root`, as chosen when joining
/// (`kind`): never inferred again from what the folder holds now, so a file
/// a teammate syncs in cannot turn on git (and its hooks) here.
pub fn transport_of(kind: Option<&str>, root: &Path) -> Transport {
    match kind {
        Some("git") => Transport::Git,
        Some("syncthing") => {
            let found = syncthing::find(root);
            Transport::Syncthing {
                folder_id: found.as_ref().map(|f| f.folder_id.clone()),
                max_conflicts: found.as_ref().and_then(|f| f.max_conflicts),
                api: found.is_some_and(|f| f.api.is_some()),
            }
        }
        _ => Transport::Plain,
    }
}

/// The transport of this profile's team folder.
pub fn transport(store: &Store, profile: &TeamProfile) -> Result<Transport, Error> {
    let kind = store.setting(TEAM_TRANSPORT)?;
    Ok(transport_of(kind.as_deref(), Path::new(&profile.folder)))
}

/// Joins the team folder `dir` as `device`, keeping the transport it has now.
pub fn join(store: &mut Store, dir: &Path, device: &str) -> Result<TeamProfile, Error> {
    let profile = store.join_team(dir, device)?;
    store.set_setting(TEAM_TRANSPORT, Some(detect(Path::new(&profile.folder))))?;
    Ok(profile)
}

/// What one round with the team folder did.
#[derive(Debug, Clone, Default)]
pub struct Round {
    /// Files written into the folder.
    pub written: Vec<PathBuf>,
    /// Why the outbox could not be signed, when it could not (it waits).
    pub unsigned: Option<String>,
    pub intake: Intake,
    pub quarantined: Vec<Quarantined>,
    /// A transport's trouble (git offline, Syncthing unreachable…).
    pub transport: Option<String>,
}

/// Signs the outbox with the profile's key and writes each event into the
/// team folder; writes again any file of this laptop's the folder lost.
/// The files written, or why nothing was signed (the events wait).
pub fn publish_outbox(
    store: &mut Store,
    profile: &TeamProfile,
    keys: &dyn KeyStore,
) -> Result<Vec<PathBuf>, Error> {
    let root = Path::new(&profile.folder);
    missing(root)?;
    let mut written = Vec::new();
    let outbox = store.team_outbox()?;
    if !outbox.is_empty() {
        let key = signing::signing_key(store, keys)?;
        // Signed with another key than the plan's for this person, the
        // events would be quarantined everywhere: they wait instead.
        let plan = store.current()?;
        let current = plan
            .core_team
            .iter()
            .find(|m| m.id == profile.person)
            .and_then(|m| m.public_key.as_deref())
            .and_then(|line| muster_core::decision::sshsig::parse_public_key(line).ok());
        if !current.is_some_and(|c| muster_core::decision::sshsig::same_key(&c, key.public_key())) {
            return Err(Error::Unavailable(format!(
                "this laptop's key is not the current key of `{}` in the plan: share the plan with your key in it (or set up your key again) — your events wait until then",
                profile.person
            )));
        }
        for envelope in outbox {
            let signed = SignedEvent::sign(envelope, &key).map_err(Error::Refused)?;
            written.push(write(root, &signed)?);
            store.team_signed(&signed.id(), &signed.to_file())?;
        }
    }
    written.extend(repair(store, profile)?);
    Ok(written)
}

fn missing(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Unavailable(format!(
            "the team folder {} is not there (an unmounted share, a moved folder?): events wait here until it is back",
            root.display()
        )))
    }
}

/// Writes again every file of this laptop's that the team folder lost (a
/// deletion synced from elsewhere): what teammates who join later need.
pub fn repair(store: &Store, profile: &TeamProfile) -> Result<Vec<PathBuf>, Error> {
    let root = Path::new(&profile.folder);
    missing(root)?;
    let mut written = Vec::new();
    for (id, file) in store.team_files()? {
        let path = folder::path_of(root, &id);
        if !path.exists() {
            let signed: SignedEvent = serde_json::from_slice(&file)
                .map_err(|e| Error::Corrupt(format!("team event {id} cannot be read: {e}")))?;
            written.push(write(root, &signed)?);
        }
    }
    Ok(written)
}

fn write(root: &Path, signed: &SignedEvent) -> Result<PathBuf, Error> {
    folder::write(root, signed).map_err(|e| {
        Error::Unavailable(format!(
            "cannot write to the team folder {}: {e}",
            root.display()
        ))
    })
}

/// The roster through the team folder: writes every roster file this
/// laptop holds that the folder lacks (its own proposals and signatures,
/// and what it took from others), then takes in the folder's. The files
/// written, and the folder's files that are not roster files, with why.
pub fn roster_round(
    store: &mut Store,
    root: &Path,
    clock: &dyn Clock,
) -> Result<(Vec<PathBuf>, Vec<Quarantined>), Error> {
    missing(root)?;
    let mut written = Vec::new();
    for file in store.roster_files()? {
        if !folder::roster_path(root, &file).exists() {
            written.push(folder::write_roster(root, &file).map_err(|e| {
                Error::Unavailable(format!(
                    "cannot write to the team folder {}: {e}",
                    root.display()
                ))
            })?);
        }
    }
    let (found, mut quarantined) = folder::roster_files(root);
    let (paths, files): (Vec<PathBuf>, Vec<_>) = found.into_iter().unzip();
    for (i, reason) in store.take_in_roster(&files, clock)? {
        if let Some(path) = paths.get(i) {
            quarantined.push(Quarantined {
                path: path.clone(),
                reason,
            });
        }
    }
    Ok((written, quarantined))
}

/// Takes in what the team folder holds that this laptop does not have.
pub fn take_in(
    store: &mut Store,
    profile: &TeamProfile,
    clock: &dyn Clock,
) -> Result<(Intake, Vec<Quarantined>), Error> {
    let plan = store.current()?;
    let known = store.team_known()?;
    let scan = folder::scan_new(Path::new(&profile.folder), &plan, &known);
    let intake = store.take_in(&scan, clock)?;
    Ok((intake, scan.quarantined))
}

/// Every file of the folder that would be quarantined, with why.
pub fn quarantined(store: &mut Store, profile: &TeamProfile) -> Result<Vec<Quarantined>, Error> {
    let plan = store.current()?;
    let root = Path::new(&profile.folder);
    let mut found = folder::scan(root, &plan).quarantined;
    found.extend(folder::roster_files(root).1);
    Ok(found)
}

/// One full round, as `muster team sync` and the app's "Sync now" run it:
/// for git, pull first; publish the outbox; take in; for git, commit and
/// push what was written; for Syncthing, ask it to scan the new files.
pub fn round(
    store: &mut Store,
    profile: &TeamProfile,
    keys: &dyn KeyStore,
    clock: &dyn Clock,
) -> Result<Round, Error> {
    let root = Path::new(&profile.folder);
    let mut round = Round::default();
    let kind = transport(store, profile)?;
    if kind == Transport::Git {
        round.transport = git::pull(root).err();
    }
    match publish_outbox(store, profile, keys) {
        Ok(written) => round.written = written,
        Err(Error::Unavailable(why)) => round.unsigned = Some(why),
        Err(other) => return Err(other),
    }
    // The roster first: it says whose keys the events are checked against.
    let (roster_written, roster_quarantined) = roster_round(store, root, clock)?;
    round.written.extend(roster_written);
    let (intake, quarantined) = take_in(store, profile, clock)?;
    round.intake = intake;
    round.quarantined = quarantined;
    round.quarantined.extend(roster_quarantined);
    match kind {
        Transport::Git if !round.written.is_empty() || round.transport.is_none() => {
            if let Err(e) = git::push(root, &profile.device) {
                round.transport = Some(e);
            }
        }
        Transport::Syncthing { api: true, .. } if !round.written.is_empty() => {
            if let Err(e) = syncthing::scan(root, &round.written) {
                round.transport = Some(e);
            }
        }
        _ => {}
    }
    Ok(round)
}

/// Takes in what teammates pushed to a git team folder.
pub fn git_pull(root: &Path) -> Result<(), String> {
    git::pull(root)
}

/// Commits and pushes the event files written into a git team folder.
pub fn git_push(root: &Path, device: &str) -> Result<(), String> {
    git::push(root, device)
}

/// The host's name, for a laptop's default device name.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "laptop".to_owned())
}

#[cfg(test)]
mod tests {
    use muster_core::fixtures::laptop;

    use super::*;

    #[test]
    fn the_transport_is_chosen_when_joining_and_a_planted_git_never_turns_it_on() {
        let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut store = laptop(data.path(), "ada-example", None);
        // A plain folder stays plain when a `.git` appears in it later.
        let profile = join(&mut store, folder.path(), "ada-laptop").unwrap();
        assert_eq!(transport(&store, &profile).unwrap(), Transport::Plain);
        std::fs::create_dir_all(folder.path().join(".git/hooks")).unwrap();
        assert_eq!(transport(&store, &profile).unwrap(), Transport::Plain);
        // A Syncthing folder with a `.git` inside is a Syncthing folder.
        let synced = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(synced.path().join(".stfolder")).unwrap();
        std::fs::create_dir_all(synced.path().join(".git")).unwrap();
        let profile = join(&mut store, synced.path(), "ada-laptop").unwrap();
        assert!(matches!(
            transport(&store, &profile).unwrap(),
            Transport::Syncthing { .. }
        ));
        // A git working copy joined as one is git.
        let clone = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(clone.path().join(".git")).unwrap();
        let profile = join(&mut store, clone.path(), "ada-laptop").unwrap();
        assert_eq!(transport(&store, &profile).unwrap(), Transport::Git);
    }

    #[test]
    fn nothing_is_written_into_a_team_folder_that_is_gone() {
        let (data, parent) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let folder = parent.path().join("share");
        std::fs::create_dir_all(&folder).unwrap();
        let mut store = laptop(data.path(), "ada-example", None);
        let profile = join(&mut store, &folder, "ada-laptop").unwrap();
        std::fs::remove_dir(&folder).unwrap();
        let gone = repair(&store, &profile);
        assert!(gone.is_err_and(|e| e.to_string().contains("is not there")),);
        assert!(
            !folder.exists(),
            "the missing folder was made on the local disk"
        );
    }
}
