//! The decision commands: this profile's signing key (its status, setting it
//! up, rotating it), decision requests, signatures, attested approvals, the
//! files that carry requests and signatures between laptops, and the approval
//! bundle. Each takes the state, calls core (or `signing` for the key) and
//! maps the error. Listed in build.rs and granted in src-tauri/capabilities
//! like every command.
//!
//! Writes go through `AppState::write`, which publishes what they changed
//! (`decisions-changed`, and `incidents-changed` when an event was appended
//! to an incident's timeline). Reading and importing request and signature
//! files is `muster_core::ops::decision_file`, shared with the command line.
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
use muster_core::clock::SystemClock;
use muster_core::decision::record::SignatureText;
use muster_core::decision::waiting::asked_key;
use muster_core::decision::{Answer, DecisionId, DecisionStatus, SignatureFile};
use muster_core::incident::IncidentId;
use muster_core::ops::decision_file::{self, ImportedFile};
use muster_core::plan::Id;
use muster_core::{Error, ErrorCode};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

pub(crate) use self::keys::{fetch, guidance as keychain_guidance, Fetched};
use self::keys::{guidance, key_status, Watched};
pub use self::keys::{KeychainState, Keys, SigningKeyStatus};
use crate::commands::off_thread;
use crate::error::IpcError;
use crate::keychain::{KeyStore, KeychainError, PROFILE_ID};
use crate::signing;
use crate::state::AppState;

/// A signature just made; `status` when the request is local and the
/// signature was recorded, null for an imported request (save the
/// signature file and send it to the requester).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignOutcome {
    pub signature: SignatureFile,
    pub status: Option<DecisionStatus>,
}

fn refused(message: impl Into<String>) -> IpcError {
    IpcError::from(Error::Refused(message.into()))
}

/// The keychain or a file could not be used: nothing was changed.
fn unavailable(message: impl Into<String>) -> IpcError {
    IpcError::from(Error::Unavailable(message.into()))
}

#[tauri::command]
pub async fn signing_key_status(
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
) -> Result<SigningKeyStatus, IpcError> {
    let keys = keys.inner().clone();
    // Whether there is a keychain at all; the key itself is not read.
    let problem = off_thread(move || keys.open().err().or_else(|| keys.last())).await?;
    state.read(move |store| key_status(store, problem)).await
}

/// Creates this profile's key in the keychain and puts its public key on
/// `contact` in the plan (one revision); with `rotate`, replaces the key and
/// retires the old one from now. The keychain may prompt to be unlocked
/// meanwhile: the store waits for it, since every step needs it.
#[tauri::command]
pub async fn set_up_signing_key(
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
    contact: Id,
    rotate: bool,
) -> Result<SigningKeyStatus, IpcError> {
    let keys = keys.inner().clone();
    let seed = signing::draw_seed().map_err(IpcError::internal)?;
    state
        .write(move |store| {
            let keychain = keys
                .use_keychain()
                .map_err(|e| Error::Unavailable(guidance(&e)))?;
            let watched = Watched {
                keys: &keys,
                keychain: &keychain,
            };
            signing::set_up(store, &watched, &contact, rotate, seed, &SystemClock)?;
            key_status(store, keys.last())
        })
        .await
}

#[tauri::command]
pub async fn request_decision(
    state: State<'_, AppState>,
    incident: String,
    policy: Id,
    statement: String,
    expires_in_minutes: i64,
) -> Result<DecisionStatus, IpcError> {
    // Beyond what a duration holds is beyond 30 days: core says so, at the field.
    let expires_in = Duration::try_minutes(expires_in_minutes).unwrap_or(Duration::MAX);
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce)
        .map_err(|e| IpcError::internal(format!("no randomness from the OS: {e}")))?;
    state
        .write(move |store| {
            let clock = SystemClock;
            let incident = IncidentId(incident);
            let request = store
                .request_decision(&incident, &policy, &statement, expires_in, nonce, &clock)?;
            store.decision_status(&request.id, &clock)
        })
        .await
}

/// Every decision: requested here and imported, oldest first.
#[tauri::command]
pub async fn list_decisions(state: State<'_, AppState>) -> Result<Vec<DecisionStatus>, IpcError> {
    state.read(|store| store.decisions(&SystemClock)).await
}

/// Approves or rejects decision `id` with this profile's key. A request
/// made here takes the signature in at once; an imported one does not (its
/// signatures are collected where it was made).
#[tauri::command]
pub async fn sign_decision(
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
        .read(move |store| {
            store.decision_request(&known)?;
            store.setting(PROFILE_ID)
        })
        .await?
        .ok_or_else(|| unavailable(guidance(&KeychainError::NoKey)))?;
    // The keychain may prompt to be unlocked: the store stays free meanwhile.
    let keys = keys.inner().clone();
    let fetched = off_thread(move || {
        let keychain = keys.use_keychain()?;
        let pem = keychain.get(&profile);
        keys.note(&pem);
        Ok::<_, KeychainError>(Fetched { profile, pem: pem? })
    })
    .await?
    .map_err(|e| unavailable(guidance(&e)))?;
    state
        .write(move |store| {
            let clock = SystemClock;
            let key = signing::signing_key(store, &fetched)?;
            drop(fetched);
            let signature = store.sign_decision(&id, &answer, &key, &clock)?;
            drop(key);
            // Answered: no need to ask this person again (and a failure to
            // remember that is no reason to hide the signature just made).
            let _ = store.remember_asked(&asked_key(&id, &signature.signer), Utc::now());
            let status = if store.decision_request(&id)?.local {
                Some(store.decision_status(&id, &clock)?)
            } else {
                None
            };
            Ok(SignOutcome { signature, status })
        })
        .await
}

/// Records that `approver` approved `id` without a signature: UNSIGNED,
/// counted only where the policy allows it.
#[tauri::command]
pub async fn attest_approval(
    state: State<'_, AppState>,
    id: String,
    approver: Id,
    channel: String,
    approved_at: String,
    witness: Id,
) -> Result<DecisionStatus, IpcError> {
    let approved_at = DateTime::parse_from_rfc3339(approved_at.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            let message = format!(
                "`{approved_at}` is not a time: give it as RFC 3339, e.g. 2026-11-24T03:10:00Z"
            );
            IpcError {
                code: ErrorCode::InvalidInput,
                problems: vec![muster_core::plan::Problem::at(
                    "attestation",
                    "",
                    "approvedAt",
                    message.clone(),
                )],
                message,
            }
        })?;
    state
        .write(move |store| {
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
        .await
}

/// Saves decision `id`'s request file (its record, byte for byte) where the
/// person chooses; the path written, or `None` when they cancelled.
#[tauri::command]
pub async fn export_decision_request(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, IpcError> {
    let request = state
        .read(move |store| store.decision_request(&DecisionId(id)))
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
    let signer = state.read(|store| store.profile_contact()).await?;
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
pub async fn import_decision_file(
    state: State<'_, AppState>,
) -> Result<Option<ImportedFile>, IpcError> {
    let picked = off_thread(|| {
        rfd::FileDialog::new()
            .set_title("Import a decision request or signature file")
            .pick_file()
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    state
        .write(move |store| decision_file::import(store, &path, &SystemClock))
        .await
        .map(Some)
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
        .read(move |store| store.decision_request(&known))
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
        .read(move |store| store.write_bundle(&id, &dir, &SystemClock))
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
        .map_err(|e| unavailable(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
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

#[cfg(test)]
mod tests;
