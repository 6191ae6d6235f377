//! The decision commands: this profile's signing key (its status, setting it
//! up, rotating it), decision requests, signatures, attested approvals, the
//! files that carry requests and signatures between laptops, and the approval
//! bundle. Each takes the state, calls core (or `signing` for the key) and
//! maps the error. Listed in build.rs and granted in src-tauri/capabilities
//! like every command.
//!
//! Every decision write emits `decisions-changed`, and `incidents-changed`
//! too when it appended an event to an incident's timeline.
//!
//! Architecture invariant: the keychain is asked for the private key only to
//! sign and to set up a key, always off the UI thread, and the key never
//! leaves `keychain::Sensitive` and `PrivateKey` values: no answer carries
//! it. A keychain that is locked or missing is a `refused` error saying what
//! to do; nothing is changed and nothing falls back. The status never reads
//! the key (that could prompt for the keychain's password): it says what the
//! plan and the profile say, and what the keychain answered last time.

mod keys;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use muster_core::clock::{Clock, SystemClock};
use muster_core::decision::record::SignatureText;
use muster_core::decision::{
    Answer, DecisionId, DecisionStatus, QuorumState, SignatureFile, Standing,
};
use muster_core::incident::IncidentId;
use muster_core::plan::Id;
use muster_core::store::Store;
use muster_core::{Error, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use ts_rs::TS;

use self::keys::{guidance, key_status, Fetched, Watched};
pub use self::keys::{KeychainState, Keys, SigningKeyStatus};
use crate::commands::PLAN_CHANGED;
use crate::error::IpcError;
use crate::keychain::{KeyStore, KeychainError, PROFILE_ID};
use crate::notifier::Note;
use crate::scheduler::Scheduler;
use crate::state::AppState;
use crate::{incidents, plan_folder, signing};

/// Sent to the UI after any decision changed (no payload).
pub const DECISIONS_CHANGED: &str = "decisions-changed";

/// The first line of a request file and of a signature file.
const REQUEST_HEADER: &str = "Muster decision request v1";
const SIGNATURE_HEADER: &str = "Muster decision signature v1";

/// The largest file `import_decision_file` reads (a request or a signature
/// is a few kilobytes).
const MAX_FILE: u64 = 1 << 20;

/// A signature just made; `status` when the request is local and the
/// signature was recorded, null for an imported request (save the
/// signature file and send it to the requester).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignOutcome {
    pub signature: SignatureFile,
    pub status: Option<DecisionStatus>,
}

/// Which kind of decision file was imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    Request,
    Signature,
}

/// A request or signature file taken in, and the decision it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedFile {
    #[ts(inline)]
    pub kind: FileKind,
    pub status: DecisionStatus,
}

fn refused(message: impl Into<String>) -> IpcError {
    IpcError::from(Error::Refused(message.into()))
}

/// Runs blocking `work` (a dialog, the keychain, a file) off the UI thread.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("background task failed: {e}")))
}

/// Tells the UI that decisions changed — and incidents, when an event was
/// appended — and wakes the scheduler (an approval may now wait for this
/// profile).
fn changed<R: Runtime>(app: &AppHandle<R>, incident_event: bool) {
    // A UI that misses the event still sees the change on its next load.
    let _ = app.emit(DECISIONS_CHANGED, ());
    if incident_event {
        incidents::changed(app);
    } else {
        app.state::<Scheduler>().wake();
    }
}

#[tauri::command]
pub async fn signing_key_status(
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
) -> Result<SigningKeyStatus, IpcError> {
    let keys = keys.inner().clone();
    // Whether there is a keychain at all; the key itself is not read.
    let problem = off_thread(move || keys.open().err().or_else(|| keys.last())).await?;
    state.run(move |store| key_status(store, problem)).await
}

/// Creates this profile's key in the keychain and puts its public key on
/// `contact` in the plan (one revision); with `rotate`, replaces the key and
/// retires the old one from now. The keychain may prompt to be unlocked
/// meanwhile: the store waits for it, since every step needs it.
#[tauri::command]
pub async fn set_up_signing_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
    contact: Id,
    rotate: bool,
) -> Result<SigningKeyStatus, IpcError> {
    let keys = keys.inner().clone();
    let seed = signing::draw_seed().map_err(IpcError::internal)?;
    let (revised, failed, status) = state
        .run(move |store| {
            let keychain = keys
                .use_keychain()
                .map_err(|e| Error::Refused(guidance(&e)))?;
            let watched = Watched {
                keys: &keys,
                keychain: &keychain,
            };
            let done = signing::set_up(store, &watched, &contact, rotate, seed, &SystemClock)
                .map_err(Error::Refused)?;
            let failed = done.revision.and_then(|_| plan_folder::write_back(store));
            let status = key_status(store, keys.last())?;
            Ok((done.revision.is_some(), failed, status))
        })
        .await?;
    if revised {
        let _ = app.emit(PLAN_CHANGED, ());
        if let Some(message) = failed {
            let _ = app.emit(plan_folder::WRITE_BACK_FAILED, message);
        }
    }
    // Decisions may now wait for this profile's person.
    app.state::<Scheduler>().wake();
    Ok(status)
}

#[tauri::command]
pub async fn request_decision<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    incident: String,
    policy: Id,
    statement: String,
    expires_in_minutes: i64,
) -> Result<DecisionStatus, IpcError> {
    let expires_in = Duration::try_minutes(expires_in_minutes).ok_or_else(|| {
        refused(format!(
            "a request expires between 1 minute and 30 days after it is made, not {expires_in_minutes} minutes: choose another expiry"
        ))
    })?;
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce)
        .map_err(|e| IpcError::internal(format!("no randomness from the OS: {e}")))?;
    let status = state
        .run(move |store| {
            let clock = SystemClock;
            let incident = IncidentId(incident);
            let request = store
                .request_decision(&incident, &policy, &statement, expires_in, nonce, &clock)?;
            store.decision_status(&request.id, &clock)
        })
        .await?;
    changed(&app, true);
    Ok(status)
}

/// Every decision: requested here and imported, oldest first.
#[tauri::command]
pub async fn list_decisions(state: State<'_, AppState>) -> Result<Vec<DecisionStatus>, IpcError> {
    state.run(|store| store.decisions(&SystemClock)).await
}

/// Approves or rejects decision `id` with this profile's key. A request
/// made here takes the signature in at once; an imported one does not (its
/// signatures are collected where it was made).
#[tauri::command]
pub async fn sign_decision<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
    id: String,
    answer: Answer,
) -> Result<SignOutcome, IpcError> {
    let id = DecisionId(id);
    // An unknown decision, or a profile without a key, is refused before
    // the keychain is asked.
    let known = id.clone();
    let profile = state
        .run(move |store| {
            store.decision_request(&known)?;
            store.setting(PROFILE_ID)
        })
        .await?
        .ok_or_else(|| refused(guidance(&KeychainError::NoKey)))?;
    // The keychain may prompt to be unlocked: the store stays free meanwhile.
    let keys = keys.inner().clone();
    let fetched = off_thread(move || {
        let keychain = keys.use_keychain()?;
        let pem = keychain.get(&profile);
        keys.note(&pem);
        Ok::<_, KeychainError>(Fetched { profile, pem: pem? })
    })
    .await?
    .map_err(|e| refused(guidance(&e)))?;
    let outcome = state
        .run(move |store| {
            let clock = SystemClock;
            let key = signing::signing_key(store, &fetched).map_err(Error::Refused)?;
            drop(fetched);
            let signature = store.sign_decision(&id, &answer, &key, &clock)?;
            drop(key);
            // Answered: no need to ask this person again (and a failure to
            // remember that is no reason to hide the signature just made).
            let _ = remember_asked(store, &asked_key(&id, &signature.signer), clock.now());
            let status = if store.decision_request(&id)?.local {
                Some(store.decision_status(&id, &clock)?)
            } else {
                None
            };
            Ok(SignOutcome { signature, status })
        })
        .await?;
    if outcome.status.is_some() {
        changed(&app, true);
    }
    Ok(outcome)
}

/// Records that `approver` approved `id` without a signature: UNSIGNED,
/// counted only where the policy allows it.
#[tauri::command]
pub async fn attest_approval<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    approver: Id,
    channel: String,
    approved_at: String,
    witness: Id,
) -> Result<DecisionStatus, IpcError> {
    let approved_at = DateTime::parse_from_rfc3339(approved_at.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| IpcError {
            code: ErrorCode::InvalidInput,
            message: format!(
                "`{approved_at}` is not a time: give it as RFC 3339, e.g. 2026-11-24T03:10:00Z"
            ),
            problems: Vec::new(),
        })?;
    let status = state
        .run(move |store| {
            let id = DecisionId(id);
            store.attest_approval(
                &id,
                &approver,
                &channel,
                approved_at,
                &witness,
                &SystemClock,
            )
        })
        .await?;
    changed(&app, true);
    Ok(status)
}

/// Saves decision `id`'s request file (its record, byte for byte) where the
/// person chooses; the path written, or `None` when they cancelled.
#[tauri::command]
pub async fn export_decision_request(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, IpcError> {
    let request = state
        .run(move |store| store.decision_request(&DecisionId(id)))
        .await?;
    let name = format!("{}-request.txt", request.id);
    let Some(path) = off_thread(move || save_dialog("Export the decision request", name)).await?
    else {
        return Ok(None);
    };
    off_thread(move || write_file(&path, &request.record)).await?
}

/// Saves a signature file made by `sign_decision` for decision `id` where
/// the person chooses; the path written, or `None` when they cancelled.
#[tauri::command]
pub async fn save_signature_file(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<Option<String>, IpcError> {
    let parsed = SignatureText::parse(&text)?;
    if parsed.decision.as_str() != id {
        return Err(refused(format!(
            "this signature file is for {}, not {id}",
            parsed.decision
        )));
    }
    let signer = state.run(|store| store.profile_contact()).await?;
    let name = match signer {
        Some(contact) => format!("{id}-{contact}-signature.txt"),
        None => format!("{id}-signature.txt"),
    };
    let Some(path) = off_thread(move || save_dialog("Save the signature file", name)).await? else {
        return Ok(None);
    };
    off_thread(move || write_file(&path, &text)).await?
}

/// Takes in a request file (to sign it here) or a signature file (for a
/// request made here) chosen in the open dialog; `None` when cancelled.
#[tauri::command]
pub async fn import_decision_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<ImportedFile>, IpcError> {
    let picked = off_thread(|| {
        rfd::FileDialog::new()
            .set_title("Import a decision request or signature file")
            .pick_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    let shown = path.display().to_string();
    let (kind, bytes) = off_thread(move || read_decision_file(&path)).await??;
    let status = state
        .run(move |store| {
            let clock = SystemClock;
            match kind {
                FileKind::Request => {
                    let request = store.import_request(&bytes, &clock)?;
                    store.decision_status(&request.id, &clock)
                }
                FileKind::Signature => {
                    let text = String::from_utf8(bytes).map_err(|_| {
                        Error::Refused("this signature file is not UTF-8 text".to_owned())
                    })?;
                    store.import_signature(&text, &clock)
                }
            }
        })
        .await
        .map_err(|mut e| {
            e.message = format!("{shown}: {}", e.message);
            e
        })?;
    changed(&app, kind == FileKind::Signature);
    Ok(Some(ImportedFile { kind, status }))
}

/// Writes decision `id`'s approval bundle into a new folder, named after
/// the decision, inside the folder the person chooses; that new folder's
/// path, or `None` when they cancelled.
#[tauri::command]
pub async fn export_decision_bundle(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, IpcError> {
    let id = DecisionId(id);
    let known = id.clone();
    let request = state
        .run(move |store| store.decision_request(&known))
        .await?;
    // Refused before the dialog opens: core writes no bundle for it.
    if !request.local {
        return Err(refused(format!(
            "{id} was requested on another computer: its bundle is written there, where the signatures are collected"
        )));
    }
    let picked = off_thread(|| {
        rfd::FileDialog::new()
            .set_title("Choose where to write the approval bundle")
            .pick_folder()
    })
    .await?;
    let Some(parent) = picked else {
        return Ok(None);
    };
    let dir = bundle_folder(&parent, &id);
    let shown = dir.display().to_string();
    state
        .run(move |store| store.write_bundle(&id, &dir, &SystemClock))
        .await?;
    Ok(Some(shown))
}

/// The OS save dialog for a decision text file; `None` when cancelled.
/// From a background thread only (see `plan_folder::pick`).
fn save_dialog(title: &str, name: String) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(name)
        .add_filter("Text", &["txt"])
        .save_file()
}

/// Writes `text` to `path` whole; the path written.
fn write_file(path: &Path, text: &str) -> Result<Option<String>, IpcError> {
    muster_core::export::write_atomically(path, text)
        .map_err(|e| refused(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Reads a request or signature file, telling which it is by its first line.
fn read_decision_file(path: &Path) -> Result<(FileKind, Vec<u8>), IpcError> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| refused(format!("cannot read {shown}: {e}")))?
        .len();
    if size > MAX_FILE {
        return Err(refused(format!(
            "{shown} is {size} bytes: a decision request or signature file is a few kilobytes; choose the file Muster wrote"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| refused(format!("cannot read {shown}: {e}")))?;
    match file_kind(&bytes) {
        Some(kind) => Ok((kind, bytes)),
        None => Err(refused(format!(
            "{shown} is neither a decision request (its first line would be “{REQUEST_HEADER}”) nor a signature file (“{SIGNATURE_HEADER}”)"
        ))),
    }
}

/// A request file starts with its header line, a signature file with its own.
fn file_kind(bytes: &[u8]) -> Option<FileKind> {
    let start = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line == REQUEST_HEADER.as_bytes() {
        Some(FileKind::Request)
    } else if line == SIGNATURE_HEADER.as_bytes() {
        Some(FileKind::Signature)
    } else {
        None
    }
}

/// A new (or empty) folder in `parent` for `id`'s bundle: `DEC-…`, else
/// `DEC-…-2`, `DEC-…-3`, …
fn bundle_folder(parent: &Path, id: &DecisionId) -> PathBuf {
    (1..100)
        .map(|n| match n {
            1 => parent.join(id.as_str()),
            n => parent.join(format!("{id}-{n}")),
        })
        .find(|dir| match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        })
        // All taken: core refuses the first one, saying it is not empty.
        .unwrap_or_else(|| parent.join(id.as_str()))
}

// ---- "Your approval is needed" (the scheduler raises these) ---------------

/// A pending decision that waits for this profile's person, not yet
/// announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub decision: DecisionId,
    pub note: Note,
}

/// The setting remembering that `contact` was asked to approve `decision`.
fn asked_key(decision: &DecisionId, contact: &Id) -> String {
    format!("decision.asked:{decision}:{contact}")
}

/// Whether pending decision `status` still needs `contact`'s answer.
pub fn waits_for(status: &DecisionStatus, contact: &Id) -> bool {
    let quorum = &status.quorum;
    quorum.state == QuorumState::Pending
        && quorum.approvers.iter().any(|a| {
            &a.contact == contact
                && a.standing == Standing::Waiting
                && (a.required || quorum.additional_missing > 0)
        })
}

/// The pending decisions that wait for the profile's person and that they
/// were not asked about before.
pub fn awaiting(
    store: &mut Store,
    clock: &dyn Clock,
    zone: Tz,
) -> muster_core::Result<Vec<Waiting>> {
    let Some(me) = store.profile_contact()? else {
        return Ok(Vec::new());
    };
    let mut waiting = Vec::new();
    for status in store.decisions(clock)? {
        let key = asked_key(&status.request.id, &me);
        if !waits_for(&status, &me) || store.setting(&key)?.is_some() {
            continue;
        }
        let r = &status.request;
        let exercise = if r.exercise { "EXERCISE — " } else { "" };
        let expires = r.expires.with_timezone(&zone).format("%H:%M %Z");
        waiting.push(Waiting {
            decision: r.id.clone(),
            note: Note {
                key,
                title: format!("{exercise}Your approval is needed: {}", r.statement),
                body: format!(
                    "{} on {} under “{}”, expires {expires}",
                    r.id, r.incident, r.policy_title
                ),
                critical: !r.exercise,
            },
        });
    }
    Ok(waiting)
}

/// Remembers (in the store's settings, so a restart does not ask again)
/// that the question behind `key` was raised at `at`.
pub fn remember_asked(store: &mut Store, key: &str, at: DateTime<Utc>) -> muster_core::Result<()> {
    store.set_setting(key, Some(&at.to_rfc3339()))
}

#[cfg(test)]
mod tests;
