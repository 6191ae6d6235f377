//! The team folder on disk: `events/<first two digits>/<id>.json`, each
//! file written once (to a temporary name, then renamed into place) and
//! never changed, so a sync engine (Syncthing, git, a network share) has
//! nothing to merge: taking in a folder is a set union.
//!
//! Everything in the folder is untrusted input. [`scan`] reads every event
//! file and sorts it into what verifies against the plan's keys and what is
//! quarantined, with the reason: a sync engine's conflict copy, a file too
//! big, not JSON of the right shape, a name that is not the hash of its
//! content, a bad or foreign signature, a key that is not its author's (or
//! was retired before the event's time). Nothing quarantined is merged;
//! nothing in the folder can make it fail as a whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use super::event::{EventId, SignedEvent, MAX_FILE};
use crate::decision::sshsig;
use crate::plan::Plan;

/// The folder inside the team folder that holds the event files.
pub const EVENTS: &str = "events";

/// An event that verified: its id, the event, and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub id: EventId,
    pub event: SignedEvent,
    pub path: PathBuf,
}

/// A file that was not taken in, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub path: PathBuf,
    pub reason: String,
}

/// What a scan of the folder found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// By id, each once (a copy of a file under another path counts once).
    pub verified: BTreeMap<EventId, Verified>,
    pub quarantined: Vec<Quarantined>,
}

/// Where the event `id` lives under `root`.
pub fn path_of(root: &Path, id: &EventId) -> PathBuf {
    root.join(EVENTS)
        .join(id.0.get(..2).unwrap_or("00"))
        .join(format!("{id}.json"))
}

/// Writes `event` into the team folder at `root`, unless it is there
/// already; its path. The file appears whole or not at all.
pub fn write(root: &Path, event: &SignedEvent) -> std::io::Result<PathBuf> {
    let path = path_of(root, &event.id());
    if path.exists() {
        return Ok(path);
    }
    let dir = path.parent().unwrap_or(root);
    fs::create_dir_all(dir)?;
    // A leading dot: sync engines and `scan` skip it while it is written.
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        event.id().short(),
        std::process::id()
    ));
    let mut file = fs::File::create(&temp)?;
    file.write_all(&event.to_file())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, &path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    Ok(path)
}

/// Whether `name` is a file a sync engine or an editor is still writing,
/// or keeps for itself: not an event, not a problem.
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".tmp")
}

/// Reads every event file under `root` and checks each against `plan`.
pub fn scan(root: &Path, plan: &Plan) -> Scan {
    scan_new(root, plan, &BTreeSet::new())
}

/// [`scan`], skipping unread the files named by an id in `known` (events
/// already taken in): a folder of thousands of events costs a listing.
pub fn scan_new(root: &Path, plan: &Plan, known: &BTreeSet<EventId>) -> Scan {
    let mut scan = Scan::default();
    let mut stack = vec![root.join(EVENTS)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if ignored(&name) {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
                continue;
            }
            let stem = name.strip_suffix(".json").unwrap_or_default();
            if known.contains(&EventId(stem.to_owned())) {
                continue;
            }
            match check(&path, &name, plan) {
                Ok(event) => {
                    let id = event.id();
                    scan.verified
                        .entry(id.clone())
                        .or_insert(Verified { id, event, path });
                }
                Err(reason) => scan.quarantined.push(Quarantined { path, reason }),
            }
        }
    }
    scan.quarantined.sort_by(|a, b| a.path.cmp(&b.path));
    scan
}

/// One file, checked: the event, or why it is quarantined.
pub fn check(path: &Path, name: &str, plan: &Plan) -> Result<SignedEvent, String> {
    if name.contains(".sync-conflict-") {
        return Err(
            "a Syncthing conflict copy: two laptops wrote different files under one name, which Muster never does; the original is kept, this copy is never read"
                .to_owned(),
        );
    }
    let Some(stem) = name.strip_suffix(".json") else {
        return Err("not an event file (an event file is named by its id, `….json`)".to_owned());
    };
    if !EventId::is_valid(stem) {
        return Err("not an event file (an event file is named by its 64-digit id)".to_owned());
    }
    // Only a regular file: a symlink may point anywhere, a pipe would block.
    let meta = fs::symlink_metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.file_type().is_file() {
        return Err("not a regular file (a link, a pipe…): never read".to_owned());
    }
    let file = fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE {
        return Err(format!(
            "{size} bytes: an event file is at most {MAX_FILE} bytes"
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!("over {MAX_FILE} bytes: not an event file"));
    }
    let event: SignedEvent =
        serde_json::from_slice(&bytes).map_err(|e| format!("not a Muster event: {e}"))?;
    if let Some(problem) = event.event.problem() {
        return Err(format!("not a sound event: {problem}"));
    }
    let id = event.id();
    if id.0 != stem {
        return Err(format!(
            "its content is not what its name says (the content's id is {}): altered or misnamed",
            id.short()
        ));
    }
    let key = event.verified_key()?;
    let author = &event.event.author;
    match crate::store::key_owner(plan, &key) {
        None => Err(format!(
            "signed with a key that is in nobody's contact entry in the plan ({})",
            sshsig::fingerprint(&key)
        )),
        Some((member, _)) if &member.id != author => Err(format!(
            "it says it is by `{author}` but is signed with {}'s key",
            member.name
        )),
        // A retired key may be a stolen one, and the event's own time is the
        // signer's word: nothing new is taken from it, whatever time it says.
        Some((member, Some(retired))) => Err(format!(
            "signed with a key of {} that is retired (from {}): events signed with it are no longer taken in",
            member.name,
            retired.to_rfc3339()
        )),
        Some(_) => Ok(event),
    }
}

/// Where the roster file `file` lives under `root`.
pub fn roster_path(root: &Path, file: &super::roster::RosterFile) -> PathBuf {
    root.join(super::roster::DIR).join(file.file_name())
}

/// Writes the roster file `file` into the team folder at `root`, unless it
/// is there already (its name is the hash of its bytes); its path.
pub fn write_roster(root: &Path, file: &super::roster::RosterFile) -> std::io::Result<PathBuf> {
    let path = roster_path(root, file);
    if path.exists() {
        return Ok(path);
    }
    let dir = path.parent().unwrap_or(root);
    fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".roster.{}.tmp", std::process::id()));
    let mut out = fs::File::create(&temp)?;
    out.write_all(&file.to_file())?;
    out.sync_all()?;
    drop(out);
    fs::rename(&temp, &path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    Ok(path)
}

/// Reads every roster file under `root`: the files, and the ones that are
/// not roster files (a conflict copy, a link, too big, not JSON of the
/// right shape, a name that is not the hash of its bytes) with why. Whether
/// a roster file's signatures count is the roster's rules' to say.
pub fn roster_files(root: &Path) -> (Vec<(PathBuf, super::roster::RosterFile)>, Vec<Quarantined>) {
    use super::roster::{RosterFile, MAX_FILE as MAX_ROSTER};
    let mut files = Vec::new();
    let mut quarantined = Vec::new();
    let dir = root.join(super::roster::DIR);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (files, quarantined),
        Err(e) => {
            quarantined.push(Quarantined {
                path: dir,
                reason: format!("the roster folder cannot be read: {e}"),
            });
            return (files, quarantined);
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if ignored(&name) {
            continue;
        }
        let read = || -> Result<RosterFile, String> {
            if name.contains(".sync-conflict-") {
                return Err("a Syncthing conflict copy: never read".to_owned());
            }
            let meta = fs::symlink_metadata(&path).map_err(|e| format!("cannot be read: {e}"))?;
            if !meta.file_type().is_file() {
                return Err("not a regular file (a link, a pipe…): never read".to_owned());
            }
            if meta.len() > MAX_ROSTER {
                return Err(format!(
                    "{} bytes: a roster file is at most {MAX_ROSTER} bytes",
                    meta.len()
                ));
            }
            let mut bytes = Vec::new();
            fs::File::open(&path)
                .and_then(|f| f.take(MAX_ROSTER + 1).read_to_end(&mut bytes))
                .map_err(|e| format!("cannot be read: {e}"))?;
            let file = RosterFile::parse(&bytes)?;
            if file.file_name() != name {
                return Err("its content is not what its name says: altered or misnamed".to_owned());
            }
            Ok(file)
        };
        match read() {
            Ok(file) => files.push((path, file)),
            Err(reason) => quarantined.push(Quarantined { path, reason }),
        }
    }
    quarantined.sort_by(|a, b| a.path.cmp(&b.path));
    (files, quarantined)
}
